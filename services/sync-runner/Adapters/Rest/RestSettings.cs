using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IntegrationSync.SyncRunner.Adapters.Rest;

public enum RestPaging
{
    None,
    Cursor,
    NextLink,
}

/// <summary>A <c>rest</c> integration's settings (keys in <see cref="Shared.Adapters.AdapterCatalog.Rest"/>), validated up front.</summary>
public sealed partial record RestSettings(
    Uri Url, string AuthHeader, string AuthScheme, string? RecordsPath, string IdField,
    RestPaging Paging, string CursorParam, string? CursorPath, string? NextLinkPath, string? VersionField, HttpMethod UpdateMethod, string? DeletedField)
{
    private const string System = "rest";

    // Headers that steer the connection or the request itself rather than carry a credential.
    private static readonly string[] ReservedHeaders = ["Host", "Connection", "Content-Length", "Transfer-Encoding", "Upgrade", "TE", "Proxy-Authorization", "Expect"];

    public static RestSettings From(AdapterConnection connection)
    {
        var settings = connection.Integration.Settings;
        var url = AdapterSettings.RequireUrl(connection, System, "url");
        var paging = (AdapterSettings.Text(settings, "paging") ?? "none").ToLowerInvariant() switch
        {
            "none" => RestPaging.None,
            "cursor" => RestPaging.Cursor,
            "next_link" or "nextlink" => RestPaging.NextLink,
            var other => throw Invalid(connection, $"paging '{other}' is not one of cursor, next_link, none"),
        };
        var cursorPath = AdapterSettings.Text(settings, "cursorPath");
        var nextLinkPath = AdapterSettings.Text(settings, "nextLinkPath");
        if (paging == RestPaging.Cursor && cursorPath is null)
        {
            throw Invalid(connection, "cursor paging needs cursorPath (where the response carries the next cursor)");
        }
        if (paging == RestPaging.NextLink && nextLinkPath is null)
        {
            throw Invalid(connection, "next_link paging needs nextLinkPath (where the response carries the next page URL)");
        }
        var updateMethod = (AdapterSettings.Text(settings, "updateMethod") ?? "PATCH").ToUpperInvariant() switch
        {
            "PATCH" => HttpMethod.Patch,
            "PUT" => HttpMethod.Put,
            var other => throw Invalid(connection, $"updateMethod '{other}' is not PATCH or PUT"),
        };
        var authHeader = AdapterSettings.Text(settings, "authHeader") ?? "Authorization";
        if (!HeaderName().IsMatch(authHeader) || ReservedHeaders.Contains(authHeader, StringComparer.OrdinalIgnoreCase))
        {
            throw Invalid(connection, $"authHeader '{authHeader}' is not a header that can carry a credential");
        }
        return new RestSettings(
            new Uri(url),
            authHeader,
            settings["authScheme"] is JsonValue scheme && scheme.TryGetValue<string>(out var text) ? text : "Bearer",
            AdapterSettings.Text(settings, "recordsPath"),
            AdapterSettings.Text(settings, "idField") ?? "id",
            paging,
            AdapterSettings.Text(settings, "cursorParam") ?? "cursor",
            cursorPath,
            nextLinkPath,
            AdapterSettings.Text(settings, "versionField"),
            updateMethod,
            AdapterSettings.Text(settings, "deletedField"));
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex HeaderName();

    private static AdapterException Invalid(AdapterConnection connection, string problem) =>
        new(AdapterErrorKind.Permanent, $"rest: integration {connection.Integration.Id} settings: {problem}");
}
