using IntegrationSync.Shared.Security.Outbound;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Adapters.Http;

/// <summary>Gives each adapter its <see cref="AdapterHttp"/>: its named client, the shared bounds and the outbound policy.</summary>
public sealed class AdapterHttpFactory(IHttpClientFactory clients, IOptions<AdapterHttpOptions> options, TimeProvider time, OutboundPolicy policy)
{
    public AdapterHttp Create(string clientName, string system, VendorErrors? vendorErrors = null, QuotaHeaders? quota = null) =>
        new(clients, options.Value, time, policy, clientName, system, vendorErrors, quota);
}
