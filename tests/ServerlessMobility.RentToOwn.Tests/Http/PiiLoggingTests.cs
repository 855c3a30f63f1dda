using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Http;

public class PiiLoggingTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task OnboardingKycAndSearch_LogsNeverContainPhoneOrDocumentNumber()
    {
        const string phone = "+256772000111";
        const string documentNumber = "CM90012345XYZ";
        var captured = new CapturingLoggerProvider();
        await using var host = RentToOwnHost.Start(emulators, services => services.AddLogging(b => b.AddProvider(captured).SetMinimumLevel(LogLevel.Trace)));
        var customer = await host.TokenAsync("cust-pii", "tenant-pii", "customer");
        var agent = await host.TokenAsync("agent-pii", "tenant-pii", "agent");

        Assert.Equal(HttpStatusCode.Created, (await host.SendAsync(HttpMethod.Post, "/api/customers", customer, new { phone, documentType = "national-id", documentNumber })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await host.SendAsync(HttpMethod.Post, "/api/customers", agent, new { customerId = "cust-pii-2", phone, documentType = "national-id", documentNumber })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Post, "/api/customers/search", agent, new { phone })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.UploadAsync("/api/customers/cust-pii/kyc/document", customer, "%PDF-1.7 test"u8.ToArray(), "application/pdf")).StatusCode);

        Assert.NotEmpty(captured.Messages);
        Assert.DoesNotContain(captured.Messages, m => m.Contains("772000111", StringComparison.Ordinal) || m.Contains(documentNumber, StringComparison.OrdinalIgnoreCase));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Messages.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
