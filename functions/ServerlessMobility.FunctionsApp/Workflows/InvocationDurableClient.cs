using Microsoft.DurableTask.Client;

namespace ServerlessMobility.FunctionsApp.Workflows;

/// <summary>
/// The isolated worker hands out Durable's client only as a <c>[DurableClient]</c> binding of the running
/// invocation, never through dependency injection. Functions that bind it put it here, in the invocation's
/// scope, so the core's services that take a <see cref="DurableTaskClient"/> (endpoints, use cases, the
/// activities that start or signal workflows) resolve exactly that client.
/// </summary>
public sealed class InvocationDurableClient
{
    public DurableTaskClient? Client { get; set; }

    /// <summary>The binding this invocation made, or a clear failure naming the function's missing binding.</summary>
    public DurableTaskClient Required => Client
        ?? throw new InvalidOperationException("This function did not bind a [DurableClient]; every HTTP and activity function binds one and hands it over before running core code.");
}
