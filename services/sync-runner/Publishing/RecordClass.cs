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

public static class RecordClassLabels
{
    /// <summary>The metric label of a class (<c>crm</c>, <c>document</c>, <c>email</c>, <c>message</c>, <c>meeting</c>, <c>event</c>).</summary>
    public static string Label(this RecordClass recordClass) => recordClass switch
    {
        RecordClass.CalendarEvent => "event",
        _ => recordClass.ToString().ToLowerInvariant(),
    };
}
