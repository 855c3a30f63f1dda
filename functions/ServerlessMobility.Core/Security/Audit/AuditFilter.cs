using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessMobility.Core.Security.Audit;

/// <summary>
/// Writes an audit record for every successful state-changing request made with a token: who,
/// tenant, what (method and route), which resource, when, and hashes of the command (before) and
/// of its result (after). Anonymous endpoints (webhooks) audit explicitly through
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
            var json = EndpointFilterHelpers.JsonOptions(http);
            var command = content.Serialize(invocation, json);
            var result = await next(invocation);
            var (status, value, _) = EndpointFilterHelpers.Describe(result);
            if (status is >= 200 and < 300 && http.User.Identity?.IsAuthenticated == true)
            {
                var user = CurrentUser.FromPrincipal(http.User);
                var ledger = http.RequestServices.GetRequiredService<IAuditLedger>();
                await ledger.AppendAsync(
                    new AuditEntry(
                        user.TenantId,
                        user.Subject,
                        $"{http.Request.Method} {EndpointFilterHelpers.RoutePattern(invocation)}",
                        http.Request.Path.Value ?? string.Empty,
                        AuditChain.HashContent(command),
                        AuditChain.HashContent(value is null ? null : JsonSerializer.Serialize(value, value.GetType(), json))),
                    CancellationToken.None);
            }

            return result;
        };
    }
}

/// <summary>Marks endpoints whose successful calls are written to the audit ledger.</summary>
public sealed class AuditedEndpointMetadata;
