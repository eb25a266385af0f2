using IntegrationSync.Shared.Contracts;
using IntegrationSync.SyncApi.Errors;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.SyncApi.Paging;

/// <summary>
/// Builds a tenant-scoped list query from validated query-string filters: always <c>c.tenantId = @tenantId</c> and the
/// repository's kind (<paramref name="ofKind"/>), equality and range filters as parameters, newest first.
/// </summary>
public sealed class ListQuery(IQueryCollection query, string tenantId, string ofKind, string identityField)
{
    private readonly List<string> _where = ["c.tenantId = @tenantId", ofKind, $"IS_DEFINED(c.{identityField})"];
    private readonly Dictionary<string, object> _parameters = new() { ["@tenantId"] = tenantId };

    public List<FieldError> Errors { get; } = [];

    /// <summary>A condition the route itself sets (e.g. the parent of a nested list), not read from the query string.</summary>
    public ListQuery Equal(string field, string value)
    {
        Add($"c.{field} = @{field}", field, value);
        return this;
    }

    public ListQuery Uuid(string name, string field)
    {
        if (Value(name) is { } value)
        {
            if (Guid.TryParse(value, out _))
            {
                Add($"c.{field} = @{name}", name, value);
            }
            else
            {
                Errors.Add(new FieldError(name, "must be a UUID"));
            }
        }
        return this;
    }

    public ListQuery OneOf(string name, string field, IReadOnlyList<string> allowed)
    {
        if (Value(name) is { } value)
        {
            if (allowed.Contains(value))
            {
                Add($"c.{field} = @{name}", name, value);
            }
            else
            {
                Errors.Add(new FieldError(name, $"must be one of {string.Join(", ", allowed)}"));
            }
        }
        return this;
    }

    public ListQuery Flag(string name, string field)
    {
        if (Value(name) is { } value)
        {
            if (bool.TryParse(value, out var flag))
            {
                // Documents written before the field existed count as false.
                _where.Add(flag ? $"c.{field} = true" : $"(NOT IS_DEFINED(c.{field}) OR c.{field} = false)");
            }
            else
            {
                Errors.Add(new FieldError(name, "must be true or false"));
            }
        }
        return this;
    }

    /// <summary>An ISO-8601 bound compared as text: every stored time is UTC in the same fixed format.</summary>
    public ListQuery Time(string name, string field, string op)
    {
        if (Value(name) is { } value)
        {
            if (IsoTime.Parse(value) is { } time)
            {
                Add($"c.{field} {op} @{name}", name, IsoTime.Format(time));
            }
            else
            {
                Errors.Add(new FieldError(name, "must be an ISO-8601 date-time"));
            }
        }
        return this;
    }

    public QueryDefinition NewestFirst(string orderField = "createdAt")
    {
        var definition = new QueryDefinition($"SELECT * FROM c WHERE {string.Join(" AND ", _where)} ORDER BY c.{orderField} DESC");
        foreach (var (name, value) in _parameters)
        {
            definition = definition.WithParameter(name, value);
        }
        return definition;
    }

    private string? Value(string name) =>
        query.TryGetValue(name, out var raw) && !string.IsNullOrEmpty(raw) ? raw.ToString() : null;

    private void Add(string clause, string name, object value)
    {
        _where.Add(clause);
        _parameters["@" + name] = value;
    }
}
