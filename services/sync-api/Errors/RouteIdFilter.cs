using System.Text.RegularExpressions;

namespace IntegrationSync.SyncApi.Errors;

/// <summary>
/// Path ids become Cosmos item ids and parts of the SDK's request URLs, which it does not escape: anything but letters,
/// digits and <c>. _ : @ -</c> (a <c>/ \ # ? %</c>, a space, a control character) or more than 255 characters is a 400
/// naming the parameter, never a database error. Every id the fleet and integration-manager write fits.
/// </summary>
public sealed partial class RouteIdFilter : IEndpointFilter
{
    public const int MaxLength = 255;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var errors = context.HttpContext.Request.RouteValues
            .Where(v => v.Value is string id && !IsStorableId(id))
            .Select(v => new FieldError(v.Key, $"must be 1 to {MaxLength} letters, digits or . _ : @ -"))
            .ToList();
        return errors.Count > 0 ? ApiError.Validation(errors) : await next(context);
    }

    public static bool IsStorableId(string id) => IdPattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:@-]{0,254}$")]
    private static partial Regex IdPattern();
}
