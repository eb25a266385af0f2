using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationSync.TestSupport;

public static class TestTokens
{
    /// <summary>A user access token as the gateway forwards it.</summary>
    public static string UserToken(string tenantId, string secret, string? userId = null, TimeSpan? lifetime = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["sub"] = userId ?? Guid.NewGuid().ToString(),
                ["tenantId"] = tenantId,
                ["type"] = "access",
            },
            Expires = DateTime.UtcNow + (lifetime ?? TimeSpan.FromHours(1)),
            NotBefore = DateTime.UtcNow.AddMinutes(-5),
            IssuedAt = DateTime.UtcNow.AddMinutes(-5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
}
