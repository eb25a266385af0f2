using System.Net;
using System.Net.Http.Json;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Rest;

/// <summary>
/// Writes: PATCH (or PUT, <c>updateMethod</c>) on <c>{url}/{id}</c> updates, with <c>If-Match</c> when a version is
/// expected. A create is a PUT on <c>{url}/{Castiel id}</c> when <c>createMethod</c> is <c>PUT</c> (the API creates at an
/// id the client chose, so a retry finds it); otherwise a POST to <c>url</c> carrying the Castiel id as
/// <c>Idempotency-Key</c>, never repeated by the client. A delete is a DELETE on <c>{url}/{id}</c>.
/// </summary>
public sealed partial class RestAdapter
{
    public async Task<WriteResult> WriteAsync(AdapterWriteRequest request, CancellationToken cancellationToken)
    {
        var settings = RestSettings.From(request.Connection);
        var createAtId = request.ExternalId is null && request.UpsertKey is not null
            && string.Equals(AdapterSettings.Text(request.Connection.Integration.Settings, "createMethod"), "PUT", StringComparison.OrdinalIgnoreCase);
        var (method, url) = request.ExternalId is { } id ? (settings.UpdateMethod, RecordUrl(settings, id))
            : createAtId ? (HttpMethod.Put, RecordUrl(settings, request.UpsertKey!))
            : (HttpMethod.Post, settings.Url);
        using var message = Request(request.Connection, settings, method, url);
        message.Content = JsonContent.Create(request.Fields);
        if (request.ExternalId is null && !createAtId)
        {
            message.Options.Set(AdapterHttp.NotIdempotent, true);
            if (request.UpsertKey is not null)
            {
                message.Headers.TryAddWithoutValidation("Idempotency-Key", request.UpsertKey);
            }
        }
        else if (request.ExpectedVersion is not null)
        {
            message.Headers.TryAddWithoutValidation("If-Match", request.ExpectedVersion);
        }
        using var response = await _http.SendOrThrowAsync(message, cancellationToken);
        var body = Single(await _http.ReadJsonAsync(response, cancellationToken));
        var written = (body is null ? null : RecordIdentity.Text(body[settings.IdField])) ?? request.ExternalId ?? (createAtId ? request.UpsertKey : null)
            ?? throw new AdapterException(AdapterErrorKind.Permanent, $"rest: the create response has no '{settings.IdField}'");
        var version = response.Headers.ETag?.ToString() ?? (settings.VersionField is null || body is null ? null : RecordIdentity.Text(body[settings.VersionField]));
        return new WriteResult(written, version, request.ExternalId is null && response.StatusCode != HttpStatusCode.OK);
    }

    public async Task DeleteAsync(AdapterRecordRequest request, string? expectedVersion, CancellationToken cancellationToken)
    {
        var settings = RestSettings.From(request.Connection);
        using var message = Request(request.Connection, settings, HttpMethod.Delete, RecordUrl(settings, request.ExternalId));
        if (expectedVersion is not null)
        {
            message.Headers.TryAddWithoutValidation("If-Match", expectedVersion);
        }
        using var response = await _http.SendAsync(message, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await _http.EnsureSuccessAsync(response, cancellationToken);
        }
    }
}
