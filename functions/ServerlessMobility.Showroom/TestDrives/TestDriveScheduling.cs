using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Showroom.Storage;

namespace ServerlessMobility.Showroom.TestDrives;

/// <summary>
/// The documents behind the slots: the day books (a booking's availability check and claim in one write under the ETag)
/// and the car's pointer to the drive it is on (what the telemetry observer reads).
/// </summary>
public sealed class TestDriveScheduling(ITenantRepository<TestDriveDayBook> days, ITenantRepository<TestDriveCar> cars, ITenantRepository<TestDrive> drives,
    IOptions<TestDriveOptions> options, TimeProvider time)
{
    /// <summary>A claim that meets stale holders takes them over and tries again; a holder still live after that is the 409.</summary>
    private const int MaxClaimRounds = 3;

    /// <summary>
    /// How long this instance trusts its answer to "which drive is this car on": every telemetry batch of every vehicle
    /// asks, and nearly every answer is "none", so it is kept a few seconds instead of costing a Cosmos read per batch.
    /// A drive started or finished on this instance shows at once; on another instance after at most this long.
    /// </summary>
    public static readonly TimeSpan ActiveDriveLookupLifetime = TimeSpan.FromSeconds(5);

    private const int MaxRememberedCars = 50_000;

    private readonly ConcurrentDictionary<(string TenantId, string Vin), (string? DriveId, DateTimeOffset Expires)> _activeDrives = new();

    /// <summary>
    /// Claims the slot for the car and the salesperson, or throws the 409 naming who holds it. A holder whose claim is
    /// stale (<see cref="TestDriveRules.IsStaleClaim"/>: its drive never came, or was cancelled or moved and the crash
    /// came before its claim was freed) is released in the same write that adds this claim, under the day book's ETag;
    /// so of two bookings taking over one stale claim only one succeeds, and nothing needs a sweeper.
    /// </summary>
    /// <returns>The claim as stored, with the time it was claimed.</returns>
    public async Task<TestDriveBooking> ClaimAsync(string tenantId, TestDriveBooking booking, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(booking);
        var claim = booking with { ClaimedAt = time.GetUtcNow() };
        var id = TestDriveDayBook.IdFor(claim.Start);
        await EnsureAsync(days, tenantId, id, () => new TestDriveDayBook { Id = id, TenantId = tenantId }, cancellationToken);
        var takenOver = new List<TestDriveBooking>();
        for (var round = 1; ; round++)
        {
            try
            {
                await days.UpdateIfChangedAsync(tenantId, id, book => book.RemoveExactly(takenOver) | book.Add(claim), "Test drive day", cancellationToken);
                return claim;
            }
            catch (ConflictException) when (round < MaxClaimRounds)
            {
                var stale = await StaleHoldersAsync(tenantId, id, claim, cancellationToken);
                if (stale.Count == 0)
                {
                    throw;
                }

                takenOver.AddRange(stale);
            }
        }
    }

    /// <summary>Gives the claim of this slot back (a booking whose drive could not be stored; the old slot of a moved drive).</summary>
    public async Task ReleaseAsync(string tenantId, TestDriveBooking claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await days.UpdateIfChangedAsync(tenantId, TestDriveDayBook.IdFor(claim.Start), book => book.Bookings.RemoveAll(b => b.SameSlot(claim)) > 0,
            "Test drive day", cancellationToken);
    }

    /// <summary>Frees every claim of the drive on its day (a cancelled drive); none left is fine, so a repeated cancellation writes nothing.</summary>
    public async Task ReleaseDriveAsync(string tenantId, string driveId, DateTimeOffset day, CancellationToken cancellationToken)
    {
        var id = TestDriveDayBook.IdFor(day);
        if (await days.GetAsync(tenantId, id, cancellationToken) is null)
        {
            return;
        }

        await days.UpdateIfChangedAsync(tenantId, id, book => book.Bookings.RemoveAll(b => string.Equals(b.DriveId, driveId, StringComparison.Ordinal)) > 0,
            "Test drive day", cancellationToken);
    }

    /// <summary>The claims in the booking's way that may be released: read now, after the write that met them failed.</summary>
    private async Task<List<TestDriveBooking>> StaleHoldersAsync(string tenantId, string dayId, TestDriveBooking booking, CancellationToken cancellationToken)
    {
        var stale = new List<TestDriveBooking>();
        if ((await days.GetAsync(tenantId, dayId, cancellationToken))?.Value is not { } book)
        {
            return stale;
        }

        var now = time.GetUtcNow();
        var grace = options.Value.StaleClaimGrace;
        foreach (var holder in book.Holders(booking))
        {
            // Claims young enough to be on their way cost no read: they are live whatever their drive's state.
            if (holder.ClaimedAt is { } claimedAt && now - claimedAt < grace)
            {
                return [];
            }

            var drive = (await drives.GetAsync(tenantId, holder.DriveId, cancellationToken))?.Value;
            if (!TestDriveRules.IsStaleClaim(holder, drive, now, grace))
            {
                // One live holder is the 409 whatever the others are.
                return [];
            }

            stale.Add(holder);
        }

        return stale;
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
