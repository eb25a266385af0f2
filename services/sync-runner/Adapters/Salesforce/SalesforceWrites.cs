using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>
/// Writes: an update is a PATCH guarded by <c>If-Unmodified-Since</c> (second precision, rounded up, so a change within
/// the same second as the expected version is not detected), then a read of the new <c>SystemModstamp</c> (the PATCH
/// answers 204), which the next write expects. A create is an upsert on the integration's external-id field
/// (<c>settings.externalIdField</c>, e.g. <c>Castiel_Id__c</c>) when it names one, else a POST that is never repeated.
/// Every write names us in <c>Sforce-Call-Options: client=…</c>, which Change Data Capture reports as the change's origin.
/// </summary>
public sealed partial class SalesforceAdapter
{
    private static readonly string[] ReadOnlyFields = ["Id", "attributes", "SystemModstamp", "LastModifiedDate", "CreatedDate"];

    public async Task<WriteResult> WriteAsync(AdapterWriteRequest request, CancellationToken cancellationToken)
    {
        var api = SalesforceApi.For(_http, request.Connection, request.EntityType);
        var fields = request.Fields.DeepClone().AsObject();
        foreach (var readOnly in ReadOnlyFields)
        {
            fields.Remove(readOnly);
        }
        if (request.ExternalId is null)
        {
            return await CreateAsync(api, request, fields, cancellationToken);
        }

        using var update = Tagged(api.Request(HttpMethod.Patch, RecordUrl(api, request.ExternalId)), request.WriterTag);
        update.Content = JsonContent.Create(fields);
        if (request.ExpectedVersion is not null)
        {
            update.Headers.IfUnmodifiedSince = Ceiling(request.ExpectedVersion);
        }
        (await _http.SendOrThrowAsync(update, cancellationToken)).Dispose();
        return new WriteResult(request.ExternalId, await VersionAsync(request, request.ExternalId, cancellationToken), Created: false);
    }

    public async Task DeleteAsync(AdapterRecordRequest request, string? expectedVersion, CancellationToken cancellationToken)
    {
        var api = SalesforceApi.For(_http, request.Connection, request.EntityType);
        using var delete = api.Request(HttpMethod.Delete, RecordUrl(api, request.ExternalId));
        if (expectedVersion is not null)
        {
            delete.Headers.IfUnmodifiedSince = Ceiling(expectedVersion);
        }
        using var response = await _http.SendAsync(delete, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await _http.EnsureSuccessAsync(response, cancellationToken);
        }
    }

    private async Task<WriteResult> CreateAsync(SalesforceApi api, AdapterWriteRequest request, JsonObject fields, CancellationToken cancellationToken)
    {
        var externalIdField = AdapterSettings.Text(request.Connection.Integration.Settings, "externalIdField");
        if (request.UpsertKey is not null && externalIdField is not null)
        {
            var field = AdapterSettings.Identifier(externalIdField, System, "external id field");
            fields.Remove(field);
            using var upsert = Tagged(api.Request(HttpMethod.Patch, $"{api.Base}/sobjects/{api.SObject}/{field}/{Uri.EscapeDataString(request.UpsertKey)}"),
                request.WriterTag);
            upsert.Content = JsonContent.Create(fields);
            using var response = await _http.SendOrThrowAsync(upsert, cancellationToken);
            var body = await _http.ReadJsonAsync(response, cancellationToken);
            // 201 with the new id; an update of the record a retry finds answers 200 with the id, or 204 without a body.
            var id = RecordIdentity.Text(body?["id"]) ?? (await ReadOneByKeyAsync(api, field, request.UpsertKey, cancellationToken))
                ?? throw new AdapterException(AdapterErrorKind.Permanent, "salesforce: the upsert response has no id");
            return new WriteResult(id, await VersionAsync(request, id, cancellationToken), Created: response.StatusCode == HttpStatusCode.Created);
        }
        using var create = Tagged(api.Request(HttpMethod.Post, $"{api.Base}/sobjects/{api.SObject}"), request.WriterTag);
        create.Content = JsonContent.Create(fields);
        create.Options.Set(AdapterHttp.NotIdempotent, true);
        var created = await _http.SendForJsonAsync(create, cancellationToken);
        var newId = RecordIdentity.Text(created?["id"]) ?? throw new AdapterException(AdapterErrorKind.Permanent, "salesforce: the create response has no id");
        return new WriteResult(newId, await VersionAsync(request, newId, cancellationToken), Created: true);
    }

    private async Task<string?> ReadOneByKeyAsync(SalesforceApi api, string field, string key, CancellationToken cancellationToken)
    {
        using var get = api.Request(HttpMethod.Get, $"{api.Base}/sobjects/{api.SObject}/{field}/{Uri.EscapeDataString(key)}");
        return RecordIdentity.Text((await _http.SendForJsonAsync(get, cancellationToken))?["Id"]);
    }

    /// <summary>The record's <c>SystemModstamp</c> after a write, read back: the PATCH does not return it.</summary>
    private async Task<string?> VersionAsync(AdapterWriteRequest request, string id, CancellationToken cancellationToken) =>
        (await ReadOneAsync(new AdapterRecordRequest(request.Connection, request.EntityType, id), cancellationToken))?.Version;

    private static HttpRequestMessage Tagged(HttpRequestMessage message, string? writerTag)
    {
        if (writerTag is not null)
        {
            message.Headers.TryAddWithoutValidation("Sforce-Call-Options", $"client={writerTag}");
        }
        return message;
    }

    private static string RecordUrl(SalesforceApi api, string id) => $"{api.Base}/sobjects/{api.SObject}/{RecordId(id)}";

    private static DateTimeOffset Ceiling(string expectedVersion)
    {
        if (!SalesforceCursor.TryParseModstamp(expectedVersion, out var version))
        {
            throw new AdapterException(AdapterErrorKind.Permanent, $"salesforce: expected version '{expectedVersion}' is not a timestamp");
        }
        var ceiling = version.AddTicks(TimeSpan.TicksPerSecond - 1);
        return new DateTimeOffset(ceiling.Ticks - ceiling.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }
}
