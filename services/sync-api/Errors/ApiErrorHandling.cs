using System.Net;
using System.Text.Json;
using IntegrationSync.Shared.Contracts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Azure.Cosmos;
using RabbitMQ.Client.Exceptions;

namespace IntegrationSync.SyncApi.Errors;

/// <summary>Maps what escapes a handler to the error envelope: 400 for unreadable input, 503 for an unavailable dependency, 500 without internals otherwise.</summary>
public static class ApiErrorHandling
{
    public const long MaxBodyBytes = 1024 * 1024;

    public static IServiceCollection AddApiErrors(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = ContractJson.Options.PropertyNamingPolicy;
            o.SerializerOptions.DefaultIgnoreCondition = ContractJson.Options.DefaultIgnoreCondition;
        });
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxBodyBytes);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        return services;
    }

    public static WebApplication UseApiErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            if (response.HasStarted || response.ContentLength > 0)
            {
                return;
            }
            var (code, message) = response.StatusCode switch
            {
                404 => ("NOT_FOUND", "Route not found"),
                405 => ("METHOD_NOT_ALLOWED", "Method not allowed"),
                415 => ("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json"),
                _ => ("HTTP_" + response.StatusCode, ReasonPhrases(response.StatusCode)),
            };
            await ApiError.Result(response.StatusCode, code, message).ExecuteAsync(context.HttpContext);
        });
        return app;
    }

    private static string ReasonPhrases(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}

internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            BadHttpRequestException { StatusCode: 413 } => ApiError.Result(413, "PAYLOAD_TOO_LARGE", "Request body exceeds 1 MiB"),
            BadHttpRequestException or JsonException => ApiError.Result(400, "VALIDATION_ERROR", "Malformed request body"),
            CosmosException { StatusCode: HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests }
                or HttpRequestException or BrokerUnreachableException or AlreadyClosedException or OperationCanceledException
                => ApiError.Result(503, "DEPENDENCY_UNAVAILABLE", "A dependency is unavailable; retry later"),
            _ => null,
        };
        if (result is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            result = ApiError.Result(500, "INTERNAL_ERROR", "An unexpected error occurred");
        }
        else
        {
            logger.LogWarning("{Method} {Path} failed: {Error}", context.Request.Method, context.Request.Path, exception.Message);
        }
        await result.ExecuteAsync(context);
        return true;
    }
}
