using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration;

/// <summary>The original let an unset <c>${VAR}</c> through as a literal value; we refuse to start instead.</summary>
public static partial class PlaceholderGuard
{
    [GeneratedRegex(@"\$\{[^}]*\}")]
    private static partial Regex Placeholder();

    public static void ThrowIfUnresolved(IConfiguration configuration)
    {
        var offenders = configuration.AsEnumerable()
            .Where(pair => pair.Value is not null && Placeholder().IsMatch(pair.Value))
            .Select(pair => ConfigKey.ToDotted(pair.Key))
            .Order()
            .ToList();
        if (offenders.Count > 0)
        {
            throw new InvalidOperationException(
                $"Configuration contains unresolved placeholders (set the variable or the value): {string.Join(", ", offenders)}");
        }
    }
}
