namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>What every vendor fake offers a contract test: its fault plan and where it listens (loopback).</summary>
public interface IVendorFake : IAsyncDisposable
{
    FaultPlan Faults { get; }

    string BaseUrl { get; }
}
