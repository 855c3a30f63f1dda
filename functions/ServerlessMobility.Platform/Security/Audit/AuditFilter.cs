using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServerlessMobility.Platform.Security.Audit;

/// <summary>
/// Writes an audit record for every successful state-changing request made with a token: who,
/// tenant, what (method and route), which resource, when, and hashes of the command (before) and
/// of its result (after). The change is announced to the ledger before the handler runs and its outcome appended after
/// (<see cref="IAuditLedger"/>'s outbox), so a change is never made without its record. Anonymous endpoints (webhooks) audit explicitly through
/// <see cref="IAuditLedger"/> once they know the tenant.
/// </summary>
public static class AuditFilter
{
    private static readonly string[] StateChangingMethods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    /// <summary>
    /// A route-group convention. It runs before the endpoint's own conventions (AllowAnonymous), so
    /// the decision is taken when the filter pipeline is built, once all metadata is known.
    /// </summary>
    public static void Apply(EndpointBuilder endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.FilterFactories.Add((context, next) =>
        {
            var method = EndpointFilterHelpers.HttpMethod(endpoint);
            if (method is null || !StateChangingMethods.Contains(method, StringComparer.OrdinalIgnoreCase) || EndpointFilterHelpers.AllowsAnonymous(endpoint))
            {
                return next;
            }

            endpoint.Metadata.Add(new AuditedEndpointMetadata());
            return Create(context, next);
        });
    }

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var content = new RequestContentSelector(context.MethodInfo, context.ApplicationServices);
        return async invocation =>
        {
            var http = invocation.HttpContext;
            if (http.User.Identity?.IsAuthenticated != true)
            {
                return await next(invocation);
            }

            var json = EndpointFilterHelpers.JsonOptions(http);
            var user = CurrentUser.FromPrincipal(http.User);
            var ledger = http.RequestServices.GetRequiredService<IAuditLedger>();

            // The change is announced before it is made: if the ledger cannot take it, nothing changes.
            var intent = await ledger.BeginAsync(
                new AuditEntry(
                    user.TenantId,
                    user.Subject,
                    $"{http.Request.Method} {EndpointFilterHelpers.RoutePattern(invocation)}",
                    http.Request.Path.Value ?? string.Empty,
                    AuditChain.HashContent(content.Serialize(invocation, json)),
                    string.Empty),
                CancellationToken.None);
            object? result;
            try
            {
                result = await next(invocation);
            }
            catch
            {
                await AbandonQuietlyAsync(ledger, intent, http);
                throw;
            }

            var (status, value, _) = EndpointFilterHelpers.Describe(result);
            if (status is >= 200 and < 300)
            {
                try
                {
                    await ledger.CompleteAsync(intent, AuditChain.HashContent(value is null ? null : JsonSerializer.Serialize(value, value.GetType(), json)), CancellationToken.None);
                }
#pragma warning disable CA1031 // The change is made; its record stays in the ledger's outbox and is settled from there.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    AuditFilterLog.CompletionDeferred(Logger(http), ex, intent.Id, http.TraceIdentifier);
                }
            }
            else
            {
                await AbandonQuietlyAsync(ledger, intent, http);
            }

            return result;
        };
    }

    private static async Task AbandonQuietlyAsync(IAuditLedger ledger, AuditIntent intent, HttpContext http)
    {
        try
        {
            await ledger.AbandonAsync(intent, CancellationToken.None);
        }
#pragma warning disable CA1031 // Left behind, the row is settled as a change of unknown outcome: a false alarm, never a lost record.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            AuditFilterLog.AbandonFailed(Logger(http), ex, intent.Id, http.TraceIdentifier);
        }
    }

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditFilter).FullName!);
}

internal static partial class AuditFilterLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Audit record of change {IntentId} not appended yet; it stays in the ledger's outbox and is settled on the next read (traceId {TraceId})")]
    public static partial void CompletionDeferred(ILogger logger, Exception exception, string intentId, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit outbox row {IntentId} of a failed request not removed; it will be settled as outcome unknown (traceId {TraceId})")]
    public static partial void AbandonFailed(ILogger logger, Exception exception, string intentId, string traceId);
}

/// <summary>Marks endpoints whose successful calls are written to the audit ledger.</summary>
public sealed class AuditedEndpointMetadata;
