using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Publishing;

namespace IntegrationSync.SyncRunner.Adapters.Sample;

/// <summary>
/// The record shapes of the sample generator. The entity types of reference §5.4 get records of their class (CRM deals by
/// default); <c>activity</c>, an entity type of no class of its own, gets a feed cycling through all six shapes, each
/// recognisable by its fields alone, so that a run is classified record by record.
/// </summary>
public static class SampleRecords
{
    public const string MixedEntityType = "activity";

    private static readonly RecordClass[] Feed =
        [RecordClass.Crm, RecordClass.Document, RecordClass.Email, RecordClass.Message, RecordClass.Meeting, RecordClass.CalendarEvent];

    private static readonly string[] Stages = ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"];
    private static readonly string[] MimeTypes = ["application/pdf", "text/plain", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"];

    public static RecordClass ShapeOf(string entityType, int index) => entityType.ToLowerInvariant() switch
    {
        MixedEntityType => Feed[index % Feed.Length],
        "document" or "file" or "attachment" => RecordClass.Document,
        "email" => RecordClass.Email,
        "message" => RecordClass.Message,
        "meeting" or "call" or "recording" => RecordClass.Meeting,
        "event" or "calendar" or "appointment" => RecordClass.CalendarEvent,
        _ => RecordClass.Crm,
    };

    public static JsonObject Create(RecordClass shape, string id, string entityType, int index, SampleRandom random, DateTimeOffset at) => shape switch
    {
        RecordClass.Document => Document(id, entityType, index, random, at),
        RecordClass.Email => Email(id, entityType, index, random, at),
        RecordClass.Message => Message(id, entityType, index, random, at),
        RecordClass.Meeting => Meeting(id, entityType, index, random, at),
        RecordClass.CalendarEvent => CalendarEvent(id, entityType, index, random, at),
        _ => Deal(id, entityType, index, random, at),
    };

    private static JsonObject Deal(string id, string entityType, int index, SampleRandom random, DateTimeOffset at) => new()
    {
        ["id"] = id,
        ["type"] = entityType,
        ["name"] = $"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(entityType)} {index}",
        ["amount"] = Math.Round(random.NextDouble() * 100_000, 2),
        ["currency"] = "USD",
        ["stage"] = Stages[random.Next(Stages.Length)],
        ["probability"] = random.Next(0, 101),
        ["closeDate"] = at.AddDays(30 + index % 365).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["ownerEmail"] = Person(random.Next(1, 20)),
        ["createdAt"] = Time(at),
        ["updatedAt"] = Time(at),
    };

    private static JsonObject Document(string id, string entityType, int index, SampleRandom random, DateTimeOffset at) => new()
    {
        ["id"] = id,
        ["type"] = entityType,
        ["title"] = $"Proposal {index}",
        ["mimeType"] = MimeTypes[random.Next(MimeTypes.Length)],
        ["url"] = $"https://files.example.com/{id}",
        ["size"] = random.Next(1_000, 5_000_000),
        ["path"] = $"/deals/{index % 10}/proposal-{index}",
        ["parentFolderId"] = $"folder-{index % 10}",
        ["parentFolderName"] = $"Deals {index % 10}",
        ["createdBy"] = Person(random.Next(1, 20)),
        ["modifiedBy"] = Person(random.Next(1, 20)),
        ["createdAt"] = Time(at),
        ["modifiedAt"] = Time(at),
    };

    private static JsonObject Email(string id, string entityType, int index, SampleRandom random, DateTimeOffset at) => new()
    {
        ["id"] = id,
        ["type"] = entityType,
        ["threadId"] = $"thread-{index / 3}",
        ["from"] = Party(random.Next(1, 20)),
        ["to"] = new JsonArray(Party(random.Next(20, 40))),
        ["subject"] = $"Re: proposal {index / 3}",
        ["bodyHtml"] = $"<p>Notes on proposal {index / 3}</p>",
        ["bodyPlainText"] = $"Notes on proposal {index / 3}",
        ["attachments"] = new JsonArray(),
        ["sentAt"] = Time(at),
        ["receivedAt"] = Time(at.AddSeconds(5)),
    };

    private static JsonObject Message(string id, string entityType, int index, SampleRandom random, DateTimeOffset at) => new()
    {
        ["id"] = id,
        ["type"] = entityType,
        ["channelId"] = $"channel-{index % 4}",
        ["sender"] = Person(random.Next(1, 20)),
        ["text"] = $"Update {index} on the deal",
        ["mentions"] = new JsonArray(),
        ["reactions"] = new JsonArray(),
        ["sentAt"] = Time(at),
        ["receivedAt"] = Time(at),
    };

    private static JsonObject Meeting(string id, string entityType, int index, SampleRandom random, DateTimeOffset at) => new()
    {
        ["id"] = id,
        ["type"] = entityType,
        ["title"] = $"Review {index}",
        ["startTime"] = Time(at),
        ["endTime"] = Time(at.AddMinutes(30)),
        ["duration"] = 30,
        ["timezone"] = "UTC",
        ["meetingUrl"] = $"https://meet.example.com/{id}",
        ["recordingUrl"] = $"https://meet.example.com/{id}/recording",
        ["transcriptUrl"] = $"https://meet.example.com/{id}/transcript",
        ["organizer"] = Party(random.Next(1, 20)),
        ["participants"] = new JsonArray(Party(random.Next(20, 40))),
    };

    private static JsonObject CalendarEvent(string id, string entityType, int index, SampleRandom random, DateTimeOffset at) => new()
    {
        ["id"] = id,
        ["type"] = entityType,
        ["title"] = $"Call {index}",
        ["startTime"] = Time(at.AddDays(1)),
        ["endTime"] = Time(at.AddDays(1).AddMinutes(15)),
        ["timezone"] = "UTC",
        ["isAllDay"] = false,
        ["location"] = "Online",
        ["meetingUrl"] = $"https://meet.example.com/{id}",
        ["organizer"] = Party(random.Next(1, 20)),
        ["attendees"] = new JsonArray(Party(random.Next(20, 40))),
        ["status"] = "confirmed",
    };

    private static string Person(int number) => $"owner{number}@example.com";

    private static JsonObject Party(int number) => new() { ["email"] = Person(number), ["name"] = $"Owner {number}" };

    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
