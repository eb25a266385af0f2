namespace IntegrationSync.SyncApi.Errors;

/// <summary>The error envelope of every non-2xx answer: <c>{"error":{"code","message","details?"}}</c>.</summary>
public sealed record ApiError(ApiErrorBody Error)
{
    public static IResult Result(int status, string code, string message, IReadOnlyList<FieldError>? details = null) =>
        Results.Json(new ApiError(new ApiErrorBody(code, message, details)), statusCode: status);

    public static IResult Validation(IReadOnlyList<FieldError> details) =>
        Result(StatusCodes.Status400BadRequest, "VALIDATION_ERROR", "Invalid request", details);

    public static IResult NotFound(string code, string message) => Result(StatusCodes.Status404NotFound, code, message);
}

public sealed record ApiErrorBody(string Code, string Message, IReadOnlyList<FieldError>? Details);

public sealed record FieldError(string Field, string Message);
