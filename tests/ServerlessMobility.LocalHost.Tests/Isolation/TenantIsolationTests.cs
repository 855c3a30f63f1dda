using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests.Isolation;

/// <summary>
/// The isolation half of the route matrix (RouteSecurityTests holds the 401 and 403 half): for every
/// protected route, tenant A's own object succeeds and tenant B, with the same role and subject, finds
/// nothing of tenant A's. The rows come from the real endpoint metadata, so a new route fails
/// <see cref="EveryProtectedRoute_HasAnIsolationCase"/> until it has a case in <see cref="IsolationCases"/>.
/// </summary>
public sealed class TenantIsolationTests(IsolationWorld world) : IClassFixture<IsolationWorld>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Routes() => [.. IsolationCases.All.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void EveryProtectedRoute_HasAnIsolationCase()
    {
        var protectedRoutes = RouteSecurity.From(world.Services.GetRequiredService<EndpointDataSource>())
            .Where(r => !r.Anonymous && r.Method != "*")
            .Select(r => $"{r.Method} {r.Pattern}")
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(protectedRoutes.Except(IsolationCases.All.Keys).Order(StringComparer.Ordinal));
        Assert.Empty(IsolationCases.All.Keys.Except(protectedRoutes).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_OwnObjectSucceeds_OtherTenantFindsNothing(string route)
    {
        var @case = IsolationCases.All[route];
        var (ownStatus, ownBody) = await SendAsync(route, @case, Side.Own);
        var (otherStatus, otherBody) = await SendAsync(route, @case, Side.OtherTenant);
        var marker = @case.Marker?.Invoke(world);

        Assert.True(IsSuccess(ownStatus), $"{route} as tenant A's {@case.Role}: {(int)ownStatus} {ownBody}");
        switch (@case.Kind)
        {
            case Isolation.NamedObject:
            case Isolation.Reference:
                Assert.True(otherStatus == HttpStatusCode.NotFound, $"{route} as tenant B's {@case.Role}: {(int)otherStatus} {otherBody}");
                Assert.Contains("application/problem+json", otherBody.ContentType, StringComparison.Ordinal);
                break;
            case Isolation.Collection:
            case Isolation.TenantFree:
                Assert.True(IsSuccess(otherStatus), $"{route} as tenant B's {@case.Role}: {(int)otherStatus} {otherBody}");
                if (marker is not null)
                {
                    Assert.Contains(marker, ownBody.Text, StringComparison.Ordinal);
                }

                break;
            case Isolation.Separate:
                Assert.True(IsSuccess(otherStatus), $"{route} as tenant B's {@case.Role}: {(int)otherStatus} {otherBody}");
                break;
            case Isolation.GlobalIdentity:
                Assert.True(otherStatus == HttpStatusCode.Conflict, $"{route} as tenant B's {@case.Role}: {(int)otherStatus} {otherBody}");
                break;
            case Isolation.PlatformWide:
                Assert.True(IsSuccess(otherStatus), $"{route} as tenant B's operator: {(int)otherStatus} {otherBody}");
                break;
            default:
                throw new InvalidOperationException($"Unknown isolation kind {@case.Kind}.");
        }

        if (marker is not null && @case.Kind != Isolation.PlatformWide)
        {
            Assert.DoesNotContain(marker, otherBody.Text, StringComparison.Ordinal);
        }
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private async Task<(HttpStatusCode Status, Body Body)> SendAsync(string route, IsolationCase @case, Side side)
    {
        // A 409 on tenant A's side is optimistic concurrency with the order's own flow, not a refusal: try again.
        return await Eventually.UntilAsync(
            async () =>
            {
                using var request = await @case.Request(world, side);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                using var response = await world.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var contentType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;

                // A live stream never ends: its headers are the answer.
                var text = contentType == "text/event-stream" ? string.Empty : await response.Content.ReadAsStringAsync(timeout.Token);
                return (Status: response.StatusCode, Body: new Body(text, contentType));
            },
            answer => side != Side.Own || answer.Status != HttpStatusCode.Conflict,
            $"{route} as tenant A's {@case.Role} to be answered other than 409",
            TimeSpan.FromSeconds(10));
    }

    private sealed record Body(string Text, string ContentType)
    {
        public override string ToString() => $"{ContentType} {Text}";
    }
}
