using System.Collections.Concurrent;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Showroom.Storage;

namespace ServerlessMobility.Showroom.TestDrives;

/// <summary>
/// The documents behind the slots: the day books (a booking's availability check and claim in one write under the ETag)
/// and the car's pointer to the drive it is on (what the telemetry observer reads).
/// </summary>
public sealed class TestDriveScheduling(ITenantRepository<TestDriveDayBook> days, ITenantRepository<TestDriveCar> cars, TimeProvider time)
{
    /// <summary>
    /// How long this instance trusts its answer to "which drive is this car on": every telemetry batch of every vehicle
    /// asks, and nearly every answer is "none", so it is kept a few seconds instead of costing a Cosmos read per batch.
    /// A drive started or finished on this instance shows at once; on another instance after at most this long.
    /// </summary>
    public static readonly TimeSpan ActiveDriveLookupLifetime = TimeSpan.FromSeconds(5);

    private const int MaxRememberedCars = 50_000;

    private readonly ConcurrentDictionary<(string TenantId, string Vin), (string? DriveId, DateTimeOffset Expires)> _activeDrives = new();

    /// <summary>Claims the slot for the car and the salesperson, or throws the 409 naming who holds it.</summary>
    public async Task ClaimAsync(string tenantId, TestDriveBooking booking, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(booking);
        var id = TestDriveDayBook.IdFor(booking.Start);
        await EnsureAsync(days, tenantId, id, () => new TestDriveDayBook { Id = id, TenantId = tenantId }, cancellationToken);
        await days.UpdateIfChangedAsync(tenantId, id, book => book.Add(booking), "Test drive day", cancellationToken);
    }

    /// <summary>Gives the slot back (a booking whose drive could not be stored).</summary>
    public async Task ReleaseAsync(string tenantId, TestDriveBooking booking, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(booking);
        await days.UpdateIfChangedAsync(tenantId, TestDriveDayBook.IdFor(booking.Start), book => book.Bookings.RemoveAll(b => b.DriveId == booking.DriveId) > 0,
            "Test drive day", cancellationToken);
    }

    /// <summary>Puts the car on the drive; a car already on another drive is a 409.</summary>
    public async Task PutOnDriveAsync(string tenantId, string vin, string driveId, CancellationToken cancellationToken)
    {
        var id = TestDriveCar.IdFor(vin);
        await EnsureAsync(cars, tenantId, id, () => new TestDriveCar { Id = id, TenantId = tenantId }, cancellationToken);
        await cars.UpdateIfChangedAsync(tenantId, id, car =>
        {
            if (car.ActiveDriveId == driveId)
            {
                return false;
            }

            if (car.ActiveDriveId is not null)
            {
                throw new ConflictException($"Vehicle {vin} is on another test drive ({car.ActiveDriveId}); finish that one first.");
            }

            car.ActiveDriveId = driveId;
            return true;
        }, "Test drive vehicle", cancellationToken);
        _activeDrives.TryRemove((tenantId, vin), out _);
    }

    public async Task TakeOffDriveAsync(string tenantId, string vin, string driveId, CancellationToken cancellationToken)
    {
        if (await cars.GetAsync(tenantId, TestDriveCar.IdFor(vin), cancellationToken) is null)
        {
            return;
        }

        await cars.UpdateIfChangedAsync(tenantId, TestDriveCar.IdFor(vin), car =>
        {
            if (car.ActiveDriveId != driveId)
            {
                return false;
            }

            car.ActiveDriveId = null;
            return true;
        }, "Test drive vehicle", cancellationToken);
        _activeDrives.TryRemove((tenantId, vin), out _);
    }

    /// <summary>The drive the car is on, if any: one point read, remembered for <see cref="ActiveDriveLookupLifetime"/>.</summary>
    public async Task<string?> ActiveDriveAsync(string tenantId, string vin, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_activeDrives.TryGetValue((tenantId, vin), out var known) && known.Expires > now)
        {
            return known.DriveId;
        }

        var driveId = (await cars.GetAsync(tenantId, TestDriveCar.IdFor(vin), cancellationToken))?.Value.ActiveDriveId;
        if (_activeDrives.Count >= MaxRememberedCars)
        {
            _activeDrives.Clear();
        }

        _activeDrives[(tenantId, vin)] = (driveId, now + ActiveDriveLookupLifetime);
        return driveId;
    }

    private static async Task EnsureAsync<T>(ITenantRepository<T> repository, string tenantId, string id, Func<T> create, CancellationToken cancellationToken)
        where T : class
    {
        if (await repository.GetAsync(tenantId, id, cancellationToken) is not null)
        {
            return;
        }

        try
        {
            await repository.CreateAsync(tenantId, id, create(), cancellationToken);
        }
        catch (ConflictException)
        {
            // Created in between by a concurrent request: the update that follows works on that one.
        }
    }
}
