using System.Text;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.Shared.Tests.Webhooks;

public sealed class StandardWebhookSignatureTests
{
    // The test vector of the Standard Webhooks reference libraries.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");

    [Fact]
    public void The_signature_of_the_reference_vector_is_the_reference_signature()
    {
        var header = StandardWebhookSignature.Header([WebhookSecrets.KeyOf(Secret)], Id, Timestamp, Body);

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", header);
    }

    [Fact]
    public void During_a_rotation_the_header_carries_one_signature_per_key_and_each_verifies()
    {
        var oldKey = WebhookSecrets.KeyOf(Secret);
        var newKey = WebhookSecrets.KeyOf(WebhookSecrets.Generate());

        var header = StandardWebhookSignature.Header([newKey, oldKey], Id, Timestamp, Body);

        Assert.Equal(2, header.Split(' ').Length);
        Assert.True(StandardWebhookSignature.Verify(header, oldKey, Id, "1614265330", Body));
        Assert.True(StandardWebhookSignature.Verify(header, newKey, Id, "1614265330", Body));
    }

    [Theory]
    [InlineData("msg_other", "1614265330", """{"test": 2432232314}""")]
    [InlineData(Id, "1614265331", """{"test": 2432232314}""")]
    [InlineData(Id, "1614265330", """{"test": 2432232315}""")]
    public void Any_change_to_id_timestamp_or_body_fails_verification(string id, string timestamp, string body)
    {
        var header = StandardWebhookSignature.Header([WebhookSecrets.KeyOf(Secret)], Id, Timestamp, Body);

        Assert.False(StandardWebhookSignature.Verify(header, WebhookSecrets.KeyOf(Secret), id, timestamp, Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,not base64!")]
    [InlineData("")]
    public void Signatures_of_another_scheme_or_form_do_not_verify(string header) =>
        Assert.False(StandardWebhookSignature.Verify(header, WebhookSecrets.KeyOf(Secret), Id, "1614265330", Body));

    [Fact]
    public void A_generated_secret_is_whsec_and_32_random_bytes()
    {
        var secret = WebhookSecrets.Generate();

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSecrets.Generate());
        Assert.Null(WebhookSecrets.Problem(secret));
    }

    [Theory]
    [InlineData("whsec_c2hvcnQ=", false)]
    [InlineData("whsec_not-base64-at-all!!", false)]
    [InlineData("too-short", false)]
    [InlineData("a-secret-a-tenant-chose-itself", true)]
    public void Secrets_are_whsec_with_24_to_64_bytes_or_16_to_256_characters(string secret, bool valid) =>
        Assert.Equal(valid, WebhookSecrets.Problem(secret) is null);

    [Fact]
    public void A_secret_without_the_prefix_keys_the_hmac_with_its_utf8_bytes() =>
        Assert.Equal(Encoding.UTF8.GetBytes("a-secret-a-tenant-chose-itself"), WebhookSecrets.KeyOf("a-secret-a-tenant-chose-itself"));

    [Fact]
    public void A_rotated_out_secret_signs_until_its_overlap_ends()
    {
        var now = DateTimeOffset.Parse("2026-05-01T10:00:00Z");
        var first = new WebhookDocument { Id = "w", TenantId = "t", Secret = Secret };
        var newSecret = WebhookSecrets.Generate();

        var rotated = WebhookSecrets.Rotate(first, newSecret, TimeSpan.FromHours(1), now);

        Assert.Equal(newSecret, rotated.Secret);
        Assert.Equal(IsoTime.Format(now.AddHours(1)), rotated.PreviousSecrets!.Single().ExpiresAt);
        Assert.Equal([WebhookSecrets.KeyOf(newSecret), WebhookSecrets.KeyOf(Secret)], WebhookSecrets.SigningKeys(rotated, now.AddMinutes(59)));
        Assert.Equal([WebhookSecrets.KeyOf(newSecret)], WebhookSecrets.SigningKeys(rotated, now.AddMinutes(61)));
        Assert.Null(WebhookSecrets.Rotate(rotated, WebhookSecrets.Generate(), TimeSpan.Zero, now.AddHours(2)).PreviousSecrets);
    }
}
