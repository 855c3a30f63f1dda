using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.LiveUpdates.AzureSignalR;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Showroom.Leaderboards;

namespace ServerlessMobility.Showroom.LiveUpdates;

/// <summary>A group the negotiated client is in, and the method its messages call.</summary>
public sealed record LiveGroup(string Name, string Target);

/// <summary>What a client needs to listen to the showroom's changes on Azure SignalR Service.</summary>
/// <param name="Url">The hub's client URL; hand it and <paramref name="AccessToken"/> to a SignalR client.</param>
/// <param name="ExpiresAt">When the token and the group memberships end (UTC): negotiate again before.</param>
public sealed record LiveNegotiation(Uri Url, string AccessToken, DateTimeOffset ExpiresAt, string Hub, IReadOnlyList<LiveGroup> Groups);

/// <summary>
/// The negotiate call of Azure SignalR's serverless mode. The caller's hub user (their tenant and subject, hashed) is put
/// in the groups their roles may hear, for as long as the token lasts: staff hear every change of the stock and both
/// leaderboards, customers the stock for sale. Clients only listen; nothing they send reaches the app.
/// </summary>
public static class LiveNegotiateEndpoints
{
    public static async Task<Results<Ok<LiveNegotiation>, ProblemHttpResult>> NegotiateAsync(HttpContext http, [FromServices] IOptions<ShowroomLiveOptions> options,
        [FromServices] IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);

        // Resolved only when configured: without a connection string there is no client to resolve.
        if (!options.Value.IsConfigured || services.GetService(typeof(AzureSignalRClient)) is not AzureSignalRClient signalR)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Azure SignalR Service is not configured",
                detail: "This deployment streams live changes as server-sent events: GET /api/showroom/inventory/changes and GET /api/showroom/leaderboard/changes.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var userId = ShowroomLiveGroups.UserId(user.TenantId, user.Subject);
        var groups = GroupsOf(user);
        var lifetime = options.Value.ClientTokenLifetime;
        try
        {
            foreach (var group in groups)
            {
                await signalR.AddUserToGroupAsync(group.Name, userId, lifetime, cancellationToken);
            }
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            http.Response.Headers.RetryAfter = DependencyFailures.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(ProblemDetailsExceptionHandler.DependencyUnavailable("Azure SignalR Service"));
        }

        var access = signalR.ClientAccess(userId, lifetime);
        return TypedResults.Ok(new LiveNegotiation(access.Url, access.AccessToken, access.ExpiresAt, signalR.Hub, groups));
    }

    /// <summary>The same hearing as the server-sent event streams give the caller's roles.</summary>
    private static List<LiveGroup> GroupsOf(CurrentUser user)
    {
        if (!ShowroomAccess.IsStaff(user))
        {
            return [new LiveGroup(ShowroomLiveGroups.InventoryCustomers(user.TenantId), ShowroomLiveGroups.InventoryTarget)];
        }

        return
        [
            new LiveGroup(ShowroomLiveGroups.InventoryStaff(user.TenantId), ShowroomLiveGroups.InventoryTarget),
            new LiveGroup(ShowroomLiveGroups.Leaderboard(user.TenantId, LeaderboardPeriod.Week), ShowroomLiveGroups.LeaderboardTarget),
            new LiveGroup(ShowroomLiveGroups.Leaderboard(user.TenantId, LeaderboardPeriod.Month), ShowroomLiveGroups.LeaderboardTarget),
        ];
    }
}
