using System.Net;
using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace IntegrationSync.Shared.Hosting;

public static class ServiceDefaults
{
    public const string TelemetryPrefix = "IntegrationSync.";

    /// <summary>Configuration layers, JSON logs with trace ids, OpenTelemetry, health checks and the listening address.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName, string[] args)
    {
        builder.Configuration.AddIntegrationSyncConfiguration().AddCommandLine(args);
        PlaceholderGuard.ThrowIfUnresolved(builder.Configuration);

        var services = builder.Services;
        services.AddValidatedOptions<ServiceOptions>(ServiceOptions.Section);
        services.AddValidatedOptions<ServerOptions>(ServerOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ServiceIdentity(sp.GetRequiredService<IOptions<ServiceOptions>>().Value.Name ?? serviceName));

        services.AddSerilog((sp, logger) => logger
            .MinimumLevel.Is(Enum.TryParse<LogEventLevel>(builder.Configuration["logging:level"], true, out var level) ? level : LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("service", sp.GetRequiredService<ServiceIdentity>().Service)
            .WriteTo.Console(new RenderedCompactJsonFormatter()),
            preserveStaticLogger: true);

        services.AddFleetMetrics();
        var exporters = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(MessagingTelemetry.SourceName, TelemetryPrefix + "*")
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperationalPath(context.Request.Path))
                    .AddHttpClientInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(TelemetryPrefix + "*")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (otlp && exporters.Otlp)
                {
                    metrics.AddOtlpExporter();
                }
                if (exporters.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (exporters.Prometheus)
        {
            services.AddTransient<IStartupFilter, PrometheusEndpoint>();
        }

        services.AddHealthChecks();
        services.TryAddSingleton<ReadinessProbe>();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var server = context.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
            kestrel.Listen(server.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(server.Host), server.Port);
        });
        return builder;
    }

    private static bool IsOperationalPath(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(PrometheusEndpoint.Path);

    /// <summary><c>/metrics</c> at the front of every host's pipeline, so that no Program.cs has to map it.</summary>
    private sealed class PrometheusEndpoint : IStartupFilter
    {
        public const string Path = "/metrics";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(Path);
            next(app);
        };
    }
}
