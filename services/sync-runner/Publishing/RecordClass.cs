namespace IntegrationSync.SyncRunner.Publishing;

/// <summary>The processor a fetched record is for: the CRM mapper, or one of the non-CRM processors (reference §2.5.3).</summary>
public enum RecordClass
{
    Crm,
    Document,
    Email,
    Message,
    Meeting,
    CalendarEvent,
}
