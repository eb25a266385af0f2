using IntegrationSync.Shared.Security.Outbound;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Json;

namespace IntegrationSync.SyncApi.Webhooks;

/// <param name="IntegrationId">The integration whose events are delivered (UUID).</param>
/// <param name="Url">Absolute https URL (http only where <c>webhooks.allow_http</c> is set) of a public host: not a private,
/// loopback, link-local or metadata address nor a local name, unless <c>outbound.*</c> allows it.</param>
/// <param name="Events">Published event names to deliver, e.g. <c>integration.sync.completed</c>.</param>
/// <param name="Secret">HMAC signing secret: <c>whsec_</c> and the base64 of 24 to 64 bytes (Standard Webhooks), or any 16 to 256
/// characters (their UTF-8 bytes are the key); generated (<c>whsec_</c>) when absent and shown once.</param>
/// <param name="Active">Deliveries on (default true).</param>
public sealed record CreateWebhookRequest(string IntegrationId, string Url, List<string> Events, string? Secret, bool Active);

/// <summary>
/// Only these four fields; any other is a 400. Absent fields are left unchanged. <c>active: true</c> re-enables a disabled
/// registration and resets its failure count; a new <c>secret</c> replaces the old one, which is still signed with for
/// <c>webhooks.secret_rotation_overlap_seconds</c>.
/// </summary>
public sealed record UpdateWebhookRequest(string? Url, List<string>? Events, bool? Active, string? Secret);

public static class WebhookRequests
{
    private const int MaxUrlLength = 2048;

    public static async Task<(CreateWebhookRequest? Request, IReadOnlyList<FieldError> Errors)> ReadCreateAsync(
        HttpRequest http, WebhookOptions options, OutboundPolicy policy, CancellationToken cancellationToken)
    {
        var (body, readErrors) = await JsonBody.ReadAsync(http, cancellationToken);
        if (body is null)
        {
            return (null, readErrors);
        }
        body.RejectUnknown("integrationId", "url", "events", "secret", "active");
        var integrationId = body.RequiredUuid("integrationId");
        var url = Url(body, options, policy, required: true);
        var events = Events(body, required: true);
        var secret = Secret(body);
        var active = body.Bool("active") ?? true;
        return body.Errors.Count > 0 ? (null, body.Errors) : (new CreateWebhookRequest(integrationId!, url!, events!, secret, active), []);
    }

    public static async Task<(UpdateWebhookRequest? Request, IReadOnlyList<FieldError> Errors)> ReadUpdateAsync(
        HttpRequest http, WebhookOptions options, OutboundPolicy policy, CancellationToken cancellationToken)
    {
        var (body, readErrors) = await JsonBody.ReadAsync(http, cancellationToken);
        if (body is null)
        {
            return (null, readErrors);
        }
        body.RejectUnknown("url", "events", "active", "secret");
        if (body.Json.Count == 0)
        {
            body.Error("body", "must set at least one of url, events, active, secret");
        }
        var request = new UpdateWebhookRequest(Url(body, options, policy, required: false), Events(body, required: false), body.Bool("active"), Secret(body));
        return body.Errors.Count > 0 ? (null, body.Errors) : (request, []);
    }

    /// <summary>
    /// What can be refused without resolving the name (delivery checks the resolved address when it connects, through
    /// the same <see cref="OutboundPolicy"/>).
    /// </summary>
    private static string? Url(JsonBody body, WebhookOptions options, OutboundPolicy policy, bool required)
    {
        var url = required ? body.RequiredText("url") : body.Text("url");
        if (url is null)
        {
            if (!required && body.Has("url") && !body.HasError("url"))
            {
                body.Error("url", "must not be empty");
            }
            return null;
        }
        var allowed = options.AllowHttp ? "an absolute http or https URL" : "an absolute https URL";
        if (url.Length > MaxUrlLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || string.IsNullOrEmpty(uri.Host)
            || !(uri.Scheme == Uri.UriSchemeHttps || (options.AllowHttp && uri.Scheme == Uri.UriSchemeHttp)))
        {
            body.Error("url", $"must be {allowed}");
            return null;
        }
        if (policy.RefusalOf(uri) is { } kind)
        {
            body.Error("url", $"must reach a public host; '{HostPattern.Normalize(uri.Host)}' is a {kind}");
            return null;
        }
        return url;
    }

    private static List<string>? Events(JsonBody body, bool required)
    {
        var events = body.TextArray("events");
        if (events is null)
        {
            if ((required || body.Has("events")) && !body.HasError("events"))
            {
                body.Error("events", "is required: a non-empty array of event names");
            }
            return null;
        }
        if (events.Count == 0)
        {
            body.Error("events", "must not be empty");
            return null;
        }
        var unknown = events.Where(e => !WebhookEvents.All.Contains(e)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            body.Error("events", $"unknown event(s) {string.Join(", ", unknown)}; known: {string.Join(", ", WebhookEvents.All)}");
            return null;
        }
        return events.Distinct().ToList();
    }

    private static string? Secret(JsonBody body)
    {
        var secret = body.Text("secret");
        if (secret is null)
        {
            if (body.Has("secret") && !body.HasError("secret"))
            {
                body.Error("secret", "must not be empty");
            }
            return null;
        }
        if (WebhookSecrets.Problem(secret) is { } problem)
        {
            body.Error("secret", problem);
            return null;
        }
        return secret;
    }
}
