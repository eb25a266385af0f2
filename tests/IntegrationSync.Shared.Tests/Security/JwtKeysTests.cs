using System.Security.Cryptography;
using System.Text;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace IntegrationSync.Shared.Tests.Security;

public sealed class JwtKeysTests
{
    [Theory]
    [InlineData("s")]
    [InlineData("short-secret")]
    [InlineData("a-secret-of-exactly-31-bytes!!!")]
    [InlineData("a-secret-of-more-than-32-bytes-as-recommended")]
    public async Task A_token_signed_with_the_raw_secret_as_Castiel_signs_it_validates_whatever_the_secret_length(string secret)
    {
        // What @fastify/jwt produces: HS256 over the header and payload with the secret's bytes as the HMAC key.
        var header = Base64UrlEncoder.Encode("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode($$"""{"tenantId":"t1","type":"access","exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""");
        var signature = Base64UrlEncoder.Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{header}.{payload}")));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync($"{header}.{payload}.{signature}", new TokenValidationParameters
        {
            IssuerSigningKey = JwtKeys.SigningKey(secret),
            ValidateIssuer = false,
            ValidateAudience = false,
        });

        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task Another_secret_of_the_same_length_does_not_validate()
    {
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["type"] = "access" },
            SigningCredentials = new SigningCredentials(JwtKeys.SigningKey("secret-a"), SecurityAlgorithms.HmacSha256),
        });

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = JwtKeys.SigningKey("secret-b"),
            ValidateIssuer = false,
            ValidateAudience = false,
        });

        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("short-secret", 1)]
    [InlineData("a-secret-of-more-than-32-bytes-as-recommended", 0)]
    public async Task A_secret_under_32_bytes_is_accepted_with_a_warning_at_start_up(string secret, int warnings)
    {
        var logger = new RecordingLogger();

        await new WeakSecretWarning(Options.Create(new JwtOptions { Secret = secret }), logger).StartAsync(CancellationToken.None);

        Assert.Equal(warnings, logger.Warnings.Count);
        Assert.All(logger.Warnings, w => Assert.DoesNotContain(secret, w));
    }

    private sealed class RecordingLogger : ILogger<WeakSecretWarning>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
