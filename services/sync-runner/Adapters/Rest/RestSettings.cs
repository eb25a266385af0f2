using System.Text.Json.Nodes;

namespace IntegrationSync.SyncRunner.Adapters.Rest;

public enum RestPaging
{
    None,
    Cursor,
    NextLink,
}

/// <summary>A <c>rest</c> integration's settings (keys in <see cref="Shared.Adapters.AdapterCatalog.Rest"/>), validated up front.</summary>
public sealed record RestSettings(
    Uri Url, string AuthHeader, string AuthScheme, string? RecordsPath, string IdField,
    RestPaging Paging, string CursorParam, string? CursorPath, string? NextLinkPath, string? VersionField, HttpMethod UpdateMethod)
{
    private const string System = "rest";

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
        return new RestSettings(
            new Uri(url),
            AdapterSettings.Text(settings, "authHeader") ?? "Authorization",
            settings["authScheme"] is JsonValue scheme && scheme.TryGetValue<string>(out var text) ? text : "Bearer",
            AdapterSettings.Text(settings, "recordsPath"),
            AdapterSettings.Text(settings, "idField") ?? "id",
            paging,
            AdapterSettings.Text(settings, "cursorParam") ?? "cursor",
            cursorPath,
            nextLinkPath,
            AdapterSettings.Text(settings, "versionField"),
            updateMethod);
    }

    private static AdapterException Invalid(AdapterConnection connection, string problem) =>
        new(AdapterErrorKind.Permanent, $"rest: integration {connection.Integration.Id} settings: {problem}");
}
