using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Publishing;

namespace IntegrationSync.SyncRunner.Tests.Publishing;

public sealed class ForwardedRecordEventsTests
{
    private static readonly RunContext Run = new("t-1", "i-1", "task-1", "e-1", "activity", "inbound", new JsonObject { ["folder"] = "x" })
    {
        ProviderName = "google_drive",
    };

    [Fact]
    public void A_document_takes_the_fallback_fields_keeps_a_zero_size_and_says_it_came_from_the_provider()
    {
        var record = Record("""
            {"documentId":"doc-9","fileUrl":"https://files/9","documentUrl":"https://docs/9","filename":"q3.pdf","contentType":"application/pdf",
             "size":0,"fileSize":12,"sourcePath":"/deals/q3.pdf","folderId":"f-1","folderName":"Deals","createdBy":"ann","modifiedBy":null,
             "createdAt":"2026-01-01T00:00:00Z","modifiedAt":""}
            """);

        Assert.Equal(Expected("""
            {"documentId":"doc-9","externalUrl":"https://files/9","title":"q3.pdf","mimeType":"application/pdf","size":0,
             "integrationSource":"google_drive","sourcePath":"/deals/q3.pdf","parentFolderId":"f-1","parentFolderName":"Deals",
             "createdBy":"ann","createdAt":"2026-01-01T00:00:00Z"}
            """), Serialize(ForwardedRecordEvents.Document(Run, record)));
    }

    [Fact]
    public void A_document_with_the_primary_fields_uses_them_before_the_fallbacks()
    {
        var record = Record("""
            {"id":"d-1","documentId":"doc-9","url":"https://u","fileUrl":"https://f","title":"T","name":"N","mimeType":"text/plain","contentType":"x",
             "size":5,"path":"/p","sourcePath":"/s","parentFolderId":"pf","folderId":"f","parentFolderName":"PF","folderName":"F",
             "integrationSource":"sharepoint","modifiedAt":"2026-01-02T00:00:00Z"}
            """);

        Assert.Equal(Expected("""
            {"documentId":"d-1","externalUrl":"https://u","title":"T","mimeType":"text/plain","size":5,"integrationSource":"sharepoint",
             "sourcePath":"/p","parentFolderId":"pf","parentFolderName":"PF","modifiedAt":"2026-01-02T00:00:00Z"}
            """), Serialize(ForwardedRecordEvents.Document(Run, record)));
    }

    [Fact]
    public void An_email_carries_the_fields_the_processor_reads_that_the_original_forgot()
    {
        var record = Record("""
            {"emailId":"m-7","threadId":"th-1","from":{"email":"a@example.com","name":"A"},"recipients":[{"email":"b@example.com"}],
             "subject":"Renewal","htmlBody":"<p>Hi</p>","textBody":"Hi","createdAt":"2026-01-03T10:00:00Z","date":"2026-01-03T09:59:00Z",
             "integrationSource":"gmail"}
            """);

        Assert.Equal(Expected("""
            {"emailId":"m-7","threadId":"th-1","from":{"email":"a@example.com","name":"A"},"to":[{"email":"b@example.com"}],
             "subject":"Renewal","body":"<p>Hi</p>","attachments":[],"receivedAt":"2026-01-03T10:00:00Z","bodyPlainText":"Hi",
             "bodyHtml":"<p>Hi</p>","sentAt":"2026-01-03T09:59:00Z","integrationSource":"gmail"}
            """), Serialize(ForwardedRecordEvents.Email(Run, record)));
    }

    [Fact]
    public void An_email_with_the_primary_fields_uses_them_before_the_fallbacks()
    {
        var record = Record("""
            {"id":"e-9","emailId":"m-7","from":"a@example.com","to":["b@example.com"],"recipients":["c@example.com"],"body":"plain body",
             "htmlBody":"<p>h</p>","bodyPlainText":"p","textBody":"t","bodyHtml":"<b>b</b>","attachments":[{"filename":"a.pdf"}],
             "receivedAt":"r","createdAt":"c","sentAt":"s","sentDateTime":"sd","date":"d"}
            """);

        Assert.Equal(Expected("""
            {"emailId":"e-9","from":"a@example.com","to":["b@example.com"],"body":"plain body","attachments":[{"filename":"a.pdf"}],
             "receivedAt":"r","bodyPlainText":"p","bodyHtml":"<b>b</b>","sentAt":"s","integrationSource":"google_drive"}
            """), Serialize(ForwardedRecordEvents.Email(Run, record)));
    }

    [Fact]
    public void A_message_defaults_its_lists_and_without_a_provider_name_comes_from_the_integration_id()
    {
        var record = Record("""{"messageId":"msg-3","channelId":"C1","sender":"U1","content":"ship it","createdAt":"2026-01-04T08:00:00Z"}""");

        Assert.Equal(Expected("""
            {"messageId":"msg-3","channelId":"C1","from":"U1","text":"ship it","mentions":[],"reactions":[],
             "receivedAt":"2026-01-04T08:00:00Z","sentAt":"2026-01-04T08:00:00Z","integrationSource":"i-1"}
            """), Serialize(ForwardedRecordEvents.Message(Run with { ProviderName = null }, record)));
    }

    [Fact]
    public void A_message_with_the_primary_fields_uses_them_before_the_fallbacks()
    {
        var record = Record("""
            {"id":9,"from":"U2","sender":"U1","text":"t","content":"c","message":"m","mentions":["U3"],"reactions":[{"name":"+1"}],
             "receivedAt":"r","sentAt":"s","createdAt":"c"}
            """);

        Assert.Equal(Expected("""
            {"messageId":"9","from":"U2","text":"t","mentions":["U3"],"reactions":[{"name":"+1"}],"receivedAt":"r","sentAt":"s",
             "integrationSource":"google_drive"}
            """), Serialize(ForwardedRecordEvents.Message(Run, record)));
    }

    [Fact]
    public void A_meeting_takes_the_fallback_fields()
    {
        var record = Record("""
            {"meetingId":"mt-1","name":"Kickoff","start":"2026-01-05T15:00:00Z","end":"2026-01-05T15:30:00Z","duration":30,"timezone":"UTC",
             "meetingUrl":"https://meet/1","recordingUrl":"https://rec/1","transcriptUrl":"https://tr/1","organizer":{"email":"o@example.com"}}
            """);

        Assert.Equal(Expected("""
            {"meetingId":"mt-1","title":"Kickoff","startTime":"2026-01-05T15:00:00Z","endTime":"2026-01-05T15:30:00Z","duration":30,
             "timezone":"UTC","integrationSource":"google_drive","externalUrl":"https://meet/1","recordingUrl":"https://rec/1",
             "transcriptUrl":"https://tr/1","organizer":{"email":"o@example.com"},"participants":[]}
            """), Serialize(ForwardedRecordEvents.Meeting(Run, record)));
    }

    [Fact]
    public void A_meeting_with_the_primary_fields_uses_them_before_the_fallbacks()
    {
        var record = Record("""
            {"id":"m-2","meetingId":"mt-1","title":"T","name":"N","description":"D","startTime":"s","start":"x","endTime":"e","end":"y",
             "url":"https://u","meetingUrl":"https://m","participants":[{"email":"p@example.com"}]}
            """);

        Assert.Equal(Expected("""
            {"meetingId":"m-2","title":"T","description":"D","startTime":"s","endTime":"e","integrationSource":"google_drive",
             "externalUrl":"https://u","participants":[{"email":"p@example.com"}]}
            """), Serialize(ForwardedRecordEvents.Meeting(Run, record)));
    }

    [Fact]
    public void A_calendar_event_keeps_false_drops_empty_text_and_without_an_id_uses_the_external_id()
    {
        var record = Record("""
            {"summary":"Standup","description":"","start":"2026-01-06T09:00:00Z","end":"2026-01-06T09:15:00Z","duration":15,
             "timezone":"Europe/Berlin","isAllDay":false,"location":"Room 1","locationType":"physical","meetingUrl":"https://meet/2",
             "organizer":"o@example.com","attendees":[{"email":"a@example.com"}],"recurrence":["RRULE:FREQ=DAILY"],"status":"confirmed",
             "eventUrl":"https://cal/2"}
            """);

        Assert.Equal(Expected("""
            {"eventId":"ext-1","title":"Standup","startTime":"2026-01-06T09:00:00Z","endTime":"2026-01-06T09:15:00Z","duration":15,
             "timezone":"Europe/Berlin","isAllDay":false,"location":"Room 1","locationType":"physical","meetingUrl":"https://meet/2",
             "organizer":"o@example.com","attendees":[{"email":"a@example.com"}],"recurrence":["RRULE:FREQ=DAILY"],"status":"confirmed",
             "integrationSource":"google_drive","externalUrl":"https://cal/2"}
            """), Serialize(ForwardedRecordEvents.CalendarEvent(Run, record)));
    }

    [Fact]
    public void A_calendar_event_with_the_primary_fields_uses_them_before_the_fallbacks()
    {
        var record = Record("""{"eventId":"ev-1","title":"T","summary":"S","startTime":"s","start":"x","endTime":"e","end":"y","url":"https://u","eventUrl":"https://e"}""");

        Assert.Equal(Expected("""
            {"eventId":"ev-1","title":"T","startTime":"s","endTime":"e","attendees":[],"integrationSource":"google_drive","externalUrl":"https://u"}
            """), Serialize(ForwardedRecordEvents.CalendarEvent(Run, record)));
    }

    private static SourceRecord Record(string json) => new("ext-1", JsonNode.Parse(json)!.AsObject());

    private static string Serialize<T>(T data) => JsonSerializer.Serialize(data, ContractJson.Options);

    /// <summary>The common fields first, then the event's own in the given order, then our idempotency key.</summary>
    private static string Expected(string fields)
    {
        var expected = new JsonObject
        {
            ["integrationId"] = "i-1", ["tenantId"] = "t-1", ["externalId"] = "ext-1", ["syncTaskId"] = "task-1", ["correlationId"] = "e-1",
            ["metadata"] = new JsonObject { ["direction"] = "inbound", ["filters"] = new JsonObject { ["folder"] = "x" } },
        };
        foreach (var (name, value) in JsonNode.Parse(fields)!.AsObject())
        {
            expected[name] = value?.DeepClone();
        }
        expected["idempotencyKey"] = "i-1-ext-1-task-1";
        return expected.ToJsonString(ContractJson.Options);
    }
}
