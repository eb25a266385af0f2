using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IntegrationSync.SyncRunner.Adapters;

/// <summary>Reading an integration's settings and credentials the same way in every adapter.</summary>
public static partial class AdapterSettings
{
    public static string? Text(JsonObject settings, string name) => RecordIdentity.Text(settings[name]);

    public static int Int(JsonObject settings, string name, int fallback, int min, int max) =>
        settings[name] is JsonValue value && value.TryGetValue<int>(out var number) ? Math.Clamp(number, min, max) : fallback;

    /// <summary>The integration's <c>pageSize</c> within the vendor's range and the operator's cap (<c>adapter_http.max_page_size</c>).</summary>
    public static int PageSize(JsonObject settings, int fallback, int vendorMin, int vendorMax, int cap) =>
        Math.Min(Int(settings, "pageSize", fallback, vendorMin, vendorMax), Math.Max(vendorMin, cap));

    /// <summary>A list setting given as a JSON array or a comma-separated string.</summary>
    public static IReadOnlyList<string> List(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(RecordIdentity.Text).OfType<string>().ToList(),
        JsonValue value when value.TryGetValue<string>(out var text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        _ => [],
    };

    /// <summary>From the credentials first (what the OAuth flow stored), then the settings.</summary>
    public static string? FromCredentialsOrSettings(AdapterConnection connection, params string[] names)
    {
        foreach (var name in names)
        {
            if (connection.Credentials.Get(name) is { Length: > 0 } fromSecret)
            {
                return fromSecret;
            }
        }
        foreach (var name in names)
        {
            if (Text(connection.Integration.Settings, name) is { } fromSettings)
            {
                return fromSettings;
            }
        }
        return null;
    }

    public static string RequireUrl(AdapterConnection connection, string system, params string[] names)
    {
        var url = FromCredentialsOrSettings(connection, names);
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new AdapterException(AdapterErrorKind.Permanent,
                $"{system}: integration {connection.Integration.Id} needs an absolute http(s) URL in settings or credentials ({string.Join(" or ", names)})");
        }
        return url.TrimEnd('/');
    }

    public static string RequireAccessToken(AdapterConnection connection, string system) =>
        connection.Credentials.Get("accessToken") ?? connection.Credentials.Get("access_token") ?? connection.Credentials.Get("token")
        ?? throw new AdapterException(AdapterErrorKind.Permanent,
            $"{system}: integration {connection.Integration.Id} has no access token; set its credentialSecretName to a secret holding one");

    /// <summary>Names spliced into query text (SOQL objects and fields, OData entity sets) must be plain identifiers.</summary>
    public static string Identifier(string name, string system, string what) =>
        IdentifierPattern().IsMatch(name)
            ? name
            : throw new AdapterException(AdapterErrorKind.Permanent, $"{system}: '{name}' is not a valid {what} name");

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,79}$")]
    private static partial Regex IdentifierPattern();
}
