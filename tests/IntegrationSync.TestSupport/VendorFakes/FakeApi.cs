using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>A vendor API stand-in: a minimal ASP.NET Core app on 127.0.0.1, port 0, with a <see cref="FaultPlan"/> in front of its routes.</summary>
public sealed class FakeApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeApi(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <param name="errorBody">The vendor's error body for a status the fault plan answers with.</param>
    public static async Task<FakeApi> StartAsync(FaultPlan faults, Func<int, string> errorBody, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (faults.SetsCookies)
            {
                context.Response.Headers.SetCookie = $"vendor-session={Guid.NewGuid():N}; Path=/; HttpOnly";
            }
            if (faults.ResponseDelay > TimeSpan.Zero)
            {
                await Task.Delay(faults.ResponseDelay, context.RequestAborted);
            }
            if (faults.HangTime() is { } hang)
            {
                await Task.Delay(hang, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }
            if (faults.Intercept(context.Request) is { } fault)
            {
                context.Response.StatusCode = fault.Status;
                if (fault.RetryAfter is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                if (fault.Status is >= 300 and < 400 && faults.RedirectTo is { } location)
                {
                    context.Response.Headers.Location = location;
                }
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync((faults.ErrorBody ?? errorBody)(fault.Status));
                return;
            }
            if (faults.OversizedBody() is { } bytes)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"pad\":\"" + new string('x', bytes) + "\"}");
                return;
            }
            await next(context);
        });
        map(app);
        await app.StartAsync();
        return new FakeApi(app, app.Urls.First().TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
