using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Publishing;

namespace IntegrationSync.SyncRunner.Tests.Publishing;

public sealed class RecordClassifierTests
{
    [Theory]
    [InlineData("opportunity", RecordClass.Crm)]
    [InlineData("account", RecordClass.Crm)]
    [InlineData("contact", RecordClass.Crm)]
    [InlineData("lead", RecordClass.Crm)]
    [InlineData("document", RecordClass.Document)]
    [InlineData("file", RecordClass.Document)]
    [InlineData("attachment", RecordClass.Document)]
    [InlineData("meeting", RecordClass.Meeting)]
    [InlineData("call", RecordClass.Meeting)]
    [InlineData("recording", RecordClass.Meeting)]
    [InlineData("event", RecordClass.CalendarEvent)]
    [InlineData("calendar", RecordClass.CalendarEvent)]
    [InlineData("appointment", RecordClass.CalendarEvent)]
    [InlineData("Opportunity", RecordClass.Crm)]
    [InlineData("DOCUMENT", RecordClass.Document)]
    [InlineData("Calendar", RecordClass.CalendarEvent)]
    public void The_entity_type_decides_whatever_the_record_looks_like(string entityType, RecordClass expected)
    {
        // A record with every shape field: only the entity type can make the decision.
        var record = Record("""{"mimeType":"application/pdf","recordingUrl":"r","startTime":"s","channelId":"c","subject":"s"}""");

        Assert.Equal(expected, RecordClassifier.Classify(entityType, record));
    }

    [Theory]
    [InlineData("email", """{"threadId":"t"}""", RecordClass.Email)]
    [InlineData("email", """{"subject":"Hello"}""", RecordClass.Email)]
    [InlineData("email", """{"from":{"email":"a@example.com"}}""", RecordClass.Email)]
    [InlineData("email", """{"to":["b@example.com"]}""", RecordClass.Email)]
    [InlineData("email", """{"channelId":"c","text":"hi"}""", RecordClass.Message)]
    [InlineData("email", """{}""", RecordClass.Message)]
    [InlineData("message", """{"threadId":"t","text":"hi"}""", RecordClass.Email)]
    [InlineData("Message", """{"sender":"u1","text":"hi"}""", RecordClass.Message)]
    [InlineData("message", """{"subject":"","from":null,"to":0,"threadId":false}""", RecordClass.Message)]
    public void Email_and_message_entity_types_are_emails_when_the_record_has_a_thread_subject_sender_or_recipient(
        string entityType, string json, RecordClass expected) =>
        Assert.Equal(expected, RecordClassifier.Classify(entityType, Record(json)));

    [Theory]
    [InlineData("""{"mimeType":"application/pdf"}""", RecordClass.Document)]
    [InlineData("""{"fileUrl":"https://x/f"}""", RecordClass.Document)]
    [InlineData("""{"documentUrl":"https://x/d"}""", RecordClass.Document)]
    [InlineData("""{"blobUrl":"https://x/b"}""", RecordClass.Document)]
    [InlineData("""{"mimeType":"text/plain","recordingUrl":"r","startTime":"s"}""", RecordClass.Document)]
    [InlineData("""{"recordingUrl":"r"}""", RecordClass.Meeting)]
    [InlineData("""{"transcriptUrl":"t"}""", RecordClass.Meeting)]
    [InlineData("""{"meetingId":"m"}""", RecordClass.Meeting)]
    [InlineData("""{"startTime":"s","endTime":"e","recordingUrl":"r"}""", RecordClass.Meeting)]
    [InlineData("""{"startTime":"s"}""", RecordClass.CalendarEvent)]
    [InlineData("""{"endTime":"e"}""", RecordClass.CalendarEvent)]
    [InlineData("""{"attendees":[]}""", RecordClass.CalendarEvent)]
    [InlineData("""{"startTime":"s","channelId":"c","subject":"x"}""", RecordClass.CalendarEvent)]
    [InlineData("""{"channelId":"c","subject":"x"}""", RecordClass.Email)]
    [InlineData("""{"messageId":"m","from":"a@example.com"}""", RecordClass.Email)]
    [InlineData("""{"threadId":"t","to":["b@example.com"]}""", RecordClass.Email)]
    [InlineData("""{"threadId":"t"}""", RecordClass.Message)]
    [InlineData("""{"channelId":"c","text":"hi"}""", RecordClass.Message)]
    [InlineData("""{"messageId":"m","sender":"u1"}""", RecordClass.Message)]
    [InlineData("""{"subject":"x","from":"a@example.com","to":"b@example.com"}""", RecordClass.Crm)]
    [InlineData("""{"name":"Acme","amount":10}""", RecordClass.Crm)]
    [InlineData("""{"mimeType":"","fileUrl":null,"meetingId":0,"startTime":false}""", RecordClass.Crm)]
    public void Other_entity_types_are_classified_by_the_record_shape(string json, RecordClass expected)
    {
        Assert.Equal(expected, RecordClassifier.Classify("activity", Record(json)));
        Assert.Equal(expected, RecordClassifier.Classify("", Record(json)));
    }

    private static JsonObject Record(string json) => JsonNode.Parse(json)!.AsObject();
}
