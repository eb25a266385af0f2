using System.Net;
using System.Text.Json.Nodes;

namespace IntegrationSync.SyncRunner.Adapters.HubSpot;

/// <summary>
/// HubSpot's 429 for a spent daily limit (<c>policyName: DAILY</c>): nothing changes before midnight in the account's
/// time zone, so the call is neither retried nor waited out; the run ends early as quota exhausted.
/// </summary>
public static class HubSpotDailyLimit
{
    public static bool IsSpent(HttpStatusCode status, string body) => status == HttpStatusCode.TooManyRequests && PolicyName(body) == "DAILY";

    /// <summary>For the HTTP pipeline's retry decision, on a body the pipeline has buffered (bounded).</summary>
    public static async ValueTask<bool> IsSpentAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.StatusCode == HttpStatusCode.TooManyRequests && PolicyName(await response.Content.ReadAsStringAsync(cancellationToken)) == "DAILY";

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
