namespace IntegrationSync.Shared.Security.Outbound;

/// <summary>A host name (<c>api.hubapi.com</c>) or a subdomain pattern (<c>*.salesforce.com</c>: any name under it, not the domain itself).</summary>
public static class HostPattern
{
    public static bool IsValid(string pattern)
    {
        var name = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        return name.Length > 0 && Uri.CheckHostName(name) != UriHostNameType.Unknown;
    }

    public static bool Matches(string host, string pattern)
    {
        var name = Normalize(host);
        return pattern.StartsWith("*.", StringComparison.Ordinal)
            ? name.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && name.Length > pattern.Length - 1
            : string.Equals(name, Normalize(pattern), StringComparison.OrdinalIgnoreCase);
    }

    public static bool MatchesAny(string host, IEnumerable<string> patterns) => patterns.Any(p => Matches(host, p));

    /// <summary>Without IPv6 brackets and the root's trailing dot (<c>localhost.</c> is <c>localhost</c>).</summary>
    public static string Normalize(string host) => host.Trim('[', ']').TrimEnd('.');
}
