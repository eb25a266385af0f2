using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationSync.Shared.Security;

namespace IntegrationSync.SyncRunner.Adapters.Http;

/// <summary>
/// The short, sanitised code and message of a vendor's error body, for error messages that reach <c>execution.error</c>
/// and the logs: never the raw body (it may be an internal page or echo a record), never a URL's query.
/// </summary>
public static partial class VendorError
{
    private const int MaxMessage = 160;

    /// <summary>The error code the body names (<c>errorCode</c>, <c>error.code</c>, <c>code</c>, <c>category</c>), if it is a plain token.</summary>
    public static string? Code(string body) => Fields(Parse(body)).Code;

    /// <summary>" (vendor error CODE: message)" or "" when the body says nothing usable.</summary>
    public static string Describe(string body)
    {
        var (code, message) = Fields(Parse(body));
        var text = (code, message) switch
        {
            (null, null) => null,
            (null, _) => message,
            (_, null) => code,
            _ => $"{code}: {message}",
        };
        return text is null ? "" : $" (vendor error {text})";
    }

    /// <summary>The body as JSON, or null when it is not JSON (then nothing of it is shown).</summary>
    public static JsonNode? Parse(string body)
    {
        try
        {
            return string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Printable, single line, at most 160 characters, URLs without their query.</summary>
    public static string? Sanitize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var printable = new StringBuilder(Math.Min(text.Length, MaxMessage * 2));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, MaxMessage * 4)))
        {
            printable.Append(char.IsControl(c) || char.IsSurrogate(c) ? ' ' : c);
        }
        var clean = Whitespace().Replace(Redaction.UrlsWithoutQuery(printable.ToString()), " ").Trim();
        return clean.Length <= MaxMessage ? clean : clean[..MaxMessage] + "…";
    }

    private static (string? Code, string? Message) Fields(JsonNode? body)
    {
        var error = body switch
        {
            JsonArray { Count: > 0 } list => list[0] as JsonObject,
            JsonObject { } wrapper when wrapper["error"] is JsonObject inner => inner,
            _ => body as JsonObject,
        };
        if (error is null)
        {
            return (null, null);
        }
        var code = new[] { "errorCode", "code", "category", "errorType", "error" }
            .Select(name => RecordIdentity.Text(error[name])).FirstOrDefault(c => c is not null && CodePattern().IsMatch(c));
        var message = RecordIdentity.Text(error["message"]) ?? RecordIdentity.Text(error["error_description"]);
        return (code, Sanitize(message));
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.:\-]{1,64}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
