using System.Text.RegularExpressions;

namespace IntegrationSync.Shared.Security;

/// <summary>URLs as messages, logs and API answers may show them: query strings and user info can carry keys and tokens, so they never appear.</summary>
public static partial class Redaction
{
    /// <summary>Scheme, host, port and path of an absolute URL; a relative one up to its <c>?</c>.</summary>
    public static string WithoutQuery(Uri? url) =>
        url is null ? "(no url)"
        : url.IsAbsoluteUri ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
        : url.OriginalString.Split('?', '#')[0];

    /// <summary>An adapter cursor as the API shows it: a next-page link (REST <c>next_link</c> paging) without its query, anything else as is.</summary>
    public static string? Cursor(string? cursor) =>
        cursor is not null && Uri.TryCreate(cursor, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? WithoutQuery(url)
            : cursor;

    /// <summary>Every URL inside <paramref name="text"/> without its query, fragment and user info.</summary>
    public static string UrlsWithoutQuery(string text) =>
        UrlPattern().Replace(text, m => Uri.TryCreate(m.Value, UriKind.Absolute, out var url) ? WithoutQuery(url) : m.Value.Split('?', '#')[0]);

    [GeneratedRegex(@"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s""'<>]+")]
    private static partial Regex UrlPattern();
}
