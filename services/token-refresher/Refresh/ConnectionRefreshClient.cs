using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Security;

namespace IntegrationSync.TokenRefresher.Refresh;

/// <summary>
/// integration-manager's connection refresh and integration update routes (reference §6.2). Transient failures are
/// retried by the client's resilience handler; when they persist they surface as exceptions (never as an answer),
/// so the message goes through the consumer's retry and parking path.
/// </summary>
public sealed class ConnectionRefreshClient(HttpClient http, ServiceTokenIssuer tokens)
{
    public async Task<RefreshAnswer> RefreshAsync(RefreshRequest request, CancellationToken cancellationToken)
    {
        var path = $"api/v1/integrations/{Uri.EscapeDataString(request.IntegrationId)}/connections/{Uri.EscapeDataString(request.ConnectionId)}/refresh";
        using var message = Request(HttpMethod.Post, path, request.TenantId, new JsonObject());
        using var response = await http.SendAsync(message, cancellationToken);
        var body = await ReadBodyAsync(response, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var failure = new PeerCallException(IntegrationManagerClient.Name, "POST connection refresh", response.StatusCode, body?.ToJsonString() ?? "");
            return failure.IsTransient
                ? throw failure
                : RefreshAnswer.Failed($"integration-manager answered {(int)response.StatusCode} {response.StatusCode}: {Message(body) ?? "no message"}");
        }
        var answer = body is JsonObject { } wrapper && wrapper["data"] is JsonObject inner ? inner : body;
        return answer is JsonObject { } result && result["success"] is JsonValue success && success.TryGetValue<bool>(out var ok) && ok
            ? RefreshAnswer.Refreshed
            : RefreshAnswer.Failed(Message(answer) ?? "integration-manager answered success: false");
    }

    /// <summary>Puts the whole integration in error, as the original did (reference §5.11). An integration gone meanwhile is nothing to mark.</summary>
    public async Task<bool> MarkIntegrationInErrorAsync(RefreshRequest request, string error, CancellationToken cancellationToken)
    {
        using var message = Request(HttpMethod.Put, $"api/v1/integrations/{Uri.EscapeDataString(request.IntegrationId)}", request.TenantId,
            new JsonObject { ["status"] = "error", ["connectionError"] = $"Token refresh failed: {error}" });
        using var response = await http.SendAsync(message, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return true;
        }
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        var failure = new PeerCallException(IntegrationManagerClient.Name, "PUT integration", response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        throw failure.IsTransient ? failure : new PermanentEventException(failure.Message);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string tenantId, JsonObject body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        tokens.Authorize(request, tenantId);
        return request;
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text.Length > 300 ? text[..300] : text);
        }
    }

    /// <summary>The peers' error shapes: <c>{error:{message}}</c>, <c>{error:"..."}</c>, <c>{message}</c> (Fastify), or plain text.</summary>
    private static string? Message(JsonNode? body) => body switch
    {
        JsonObject o when o["error"] is JsonObject e && e["message"] is JsonValue m && m.TryGetValue<string>(out var text) => text,
        JsonObject o when o["message"] is JsonValue m && m.TryGetValue<string>(out var text) => text,
        JsonObject o when o["error"] is JsonValue e && e.TryGetValue<string>(out var text) => text,
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        _ => null,
    };
}
