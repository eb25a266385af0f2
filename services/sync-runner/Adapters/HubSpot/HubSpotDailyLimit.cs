using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.HubSpot;

/// <summary>
/// HubSpot's 429 for a spent daily limit (<c>policyName: DAILY</c>): nothing changes before midnight in the account's
/// time zone, so the call is neither retried nor waited out; the run ends early as quota exhausted. Before that, the
/// <c>X-HubSpot-RateLimit-Daily</c> and <c>-Daily-Remaining</c> headers (private apps; not on search answers) tell the quota guard how much is used.
/// </summary>
public static class HubSpotDailyLimit
{
    public static QuotaUsage? Usage(HttpResponseMessage response) =>
        Header(response, "X-HubSpot-RateLimit-Daily") is { } limit && Header(response, "X-HubSpot-RateLimit-Daily-Remaining") is { } remaining
            ? new QuotaUsage(limit - remaining, limit)
            : null;

    public static bool IsSpent(HttpStatusCode status, string body) => status == HttpStatusCode.TooManyRequests && PolicyName(body) == "DAILY";

    /// <summary>For the HTTP pipeline's retry decision, on a body the pipeline has buffered (bounded).</summary>
    public static async ValueTask<bool> IsSpentAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.StatusCode == HttpStatusCode.TooManyRequests && PolicyName(await response.Content.ReadAsStringAsync(cancellationToken)) == "DAILY";

    /// <summary>A numeric <c>X-HubSpot-RateLimit-*</c> header.</summary>
    internal static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    private static string? PolicyName(string body)
    {
        try
        {
            return RecordIdentity.Text(JsonNode.Parse(body)?["policyName"]);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
