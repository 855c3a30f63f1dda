using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Showroom.Storage;

namespace ServerlessMobility.Showroom.TestDrives;

/// <summary>
/// The documents behind the slots: the day books (a booking's availability check and claim in one write under the ETag)
/// and the car's pointer to the drive it is on (what the telemetry observer reads).
/// </summary>
public sealed class TestDriveScheduling(ITenantRepository<TestDriveDayBook> days, ITenantRepository<TestDriveCar> cars)
{
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
    }

    /// <summary>The drive the car is on, if any (one point read).</summary>
    public async Task<string?> ActiveDriveAsync(string tenantId, string vin, CancellationToken cancellationToken) =>
        (await cars.GetAsync(tenantId, TestDriveCar.IdFor(vin), cancellationToken))?.Value.ActiveDriveId;

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
