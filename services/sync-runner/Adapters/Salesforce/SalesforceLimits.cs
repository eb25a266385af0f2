using System.Globalization;
using System.Text.RegularExpressions;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary><c>Sforce-Limit-Info: api-usage=25/15000</c>: the org's calls in the last 24 hours and its allocation.</summary>
public static partial class SalesforceLimits
{
    public static QuotaUsage? Read(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Sforce-Limit-Info", out var values) && ApiUsage().Match(string.Join(',', values)) is { Success: true } match
        && long.TryParse(match.Groups["used"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var used)
        && long.TryParse(match.Groups["limit"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            ? new QuotaUsage(used, limit)
            : null;

    // "per-app-api-usage=…" is the connected app's own share; the org-wide entry stands alone.
    [GeneratedRegex(@"(?:^|[,;\s])api-usage=(?<used>\d+)/(?<limit>\d+)")]
    private static partial Regex ApiUsage();
}
