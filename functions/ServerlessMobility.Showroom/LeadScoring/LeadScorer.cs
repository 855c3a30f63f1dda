using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessMobility.Showroom.Leads;

namespace ServerlessMobility.Showroom.LeadScoring;

public sealed class LeadScoringOptions
{
    public const string SectionName = "Showroom:LeadScoring";

    /// <summary>How long an instance scores with the model it loaded before it checks the pointer for a newer version.</summary>
    public TimeSpan ModelRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Synthetic rows the first model of a dealership is trained on (when a lead is first scored and none is stored).</summary>
    public int TrainingRows { get; set; } = 2000;

    public const int MinTrainingRows = 500;
    public const int MaxTrainingRows = 5000;

    public bool IsValid() => ModelRefreshInterval > TimeSpan.Zero && ModelRefreshInterval <= TimeSpan.FromHours(1) && TrainingRows is >= MinTrainingRows and <= MaxTrainingRows;
}

/// <summary>One feature's part in a lead's score.</summary>
/// <param name="Value">The lead's value of the feature.</param>
/// <param name="Contribution">How much it moved the score, in the trees' log-odds units: positive raises the chance of a sale.</param>
/// <param name="Effect">"raises", "lowers" or "none", for people who do not read signs.</param>
public sealed record LeadScoreContribution(string Feature, string Description, double Value, double Contribution, string Effect);

/// <param name="Probability">The calibrated chance that the lead becomes a sale, 0 to 1.</param>
/// <param name="Explanation">Every feature's contribution, largest first (by size, whichever the direction).</param>
public sealed record LeadScoreResult(string LeadId, int ModelVersion, double Probability, DateTimeOffset ScoredAt, IReadOnlyList<LeadScoreContribution> Explanation);

/// <summary>
/// Scores leads with the dealership's current model (<see cref="LeadModelStore"/>), loaded once and kept per dealership; the
/// pointer is checked again after <see cref="LeadScoringOptions.ModelRefreshInterval"/>, so a retraining on another instance
/// is picked up within that. With no model stored yet, the first scoring trains and stores v1 (so both hosts behave alike
/// and a host that never scores never trains).
/// </summary>
public sealed class LeadScorer(LeadModelStore store, IOptions<LeadScoringOptions> options, TimeProvider time, ILogger<LeadScorer> logger)
{
    /// <summary>Who v1 is attributed to when the first scoring trains it.</summary>
    public const string FirstUseTrainer = "first-use";

    private readonly ConcurrentDictionary<string, CachedModel> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public async Task<LeadScoreResult> ScoreAsync(Lead lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var model = await CurrentModelAsync(lead.TenantId, cancellationToken);
        var now = time.GetUtcNow();
        var features = LeadFeatures.Of(lead, now);
        var scored = model.Score(features);
        return new LeadScoreResult(lead.Id, model.Version, Math.Round(scored.Probability, 4), now, Explain(features, scored.FeatureContributions));
    }

    /// <summary>Every feature with its value and contribution in plain words, largest contribution first (by size; ties by name).</summary>
    public static IReadOnlyList<LeadScoreContribution> Explain(float[] features, float[] contributions)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(contributions);
        return LeadFeatures.All
            .Select((feature, i) => new LeadScoreContribution(feature.Name, feature.Description, Math.Round(features[i], 4), Math.Round(contributions[i], 4),
                contributions[i] > 0 ? "raises" : contributions[i] < 0 ? "lowers" : "none"))
            .OrderByDescending(c => Math.Abs(c.Contribution))
            .ThenBy(c => c.Feature, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Trains a model on <paramref name="rows"/> synthetic leads drawn with <paramref name="seed"/>, stores it as the next version and scores with it from now on.</summary>
    public async Task<LeadModelPointer> RetrainAsync(string tenantId, int rows, int seed, string by, CancellationToken cancellationToken)
    {
        var (pointer, zip) = await TrainAndPublishAsync(tenantId, rows, seed, by, cancellationToken);
        _models[tenantId] = new CachedModel(new LoadedLeadModel(pointer.Version, zip), time.GetUtcNow());
        return pointer;
    }

    private async Task<LoadedLeadModel> CurrentModelAsync(string tenantId, CancellationToken cancellationToken)
    {
        var refresh = options.Value.ModelRefreshInterval;
        if (_models.TryGetValue(tenantId, out var cached) && time.GetUtcNow() - cached.CheckedAt < refresh)
        {
            return cached.Model;
        }

        var gate = _gates.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_models.TryGetValue(tenantId, out cached) && time.GetUtcNow() - cached.CheckedAt < refresh)
            {
                return cached.Model;
            }

            var pointer = await store.CurrentAsync(tenantId, cancellationToken);
            LoadedLeadModel model;
            if (pointer is null)
            {
                logger.LogInformation("No lead-score model stored for this dealership: training the first one on {Rows} synthetic leads.", options.Value.TrainingRows);
                var (published, zip) = await TrainAndPublishAsync(tenantId, options.Value.TrainingRows, SyntheticLeadGenerator.DefaultSeed, FirstUseTrainer, cancellationToken);
                model = new LoadedLeadModel(published.Version, zip);
            }
            else if (cached is not null && cached.Model.Version == pointer.Version)
            {
                model = cached.Model;
            }
            else
            {
                var zip = await store.ReadAsync(tenantId, pointer.Version, cancellationToken)
                    ?? throw new InvalidOperationException($"Lead-score model v{pointer.Version} is the current one but its blob is missing.");
                model = new LoadedLeadModel(pointer.Version, zip);
                logger.LogInformation("Loaded lead-score model v{Version}.", pointer.Version);
            }

            _models[tenantId] = new CachedModel(model, time.GetUtcNow());
            return model;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(LeadModelPointer Pointer, byte[] Zip)> TrainAndPublishAsync(string tenantId, int rows, int seed, string by, CancellationToken cancellationToken)
    {
        // Training is CPU work of a second or two: off the request's thread, so the host keeps answering meanwhile.
        var trained = await Task.Run(() => LeadScoreTrainer.Train(SyntheticLeadGenerator.Generate(rows, seed), seed), cancellationToken);
        var trainedAt = time.GetUtcNow();
        var pointer = await store.PublishAsync(tenantId, trained.Zip, version => new LeadModelPointer(version, trainedAt, by, seed, trained.Metrics), cancellationToken);
        var zip = pointer.Metrics == trained.Metrics && pointer.Seed == seed ? trained.Zip : await store.ReadAsync(tenantId, pointer.Version, cancellationToken) ?? trained.Zip;
        return (pointer, zip);
    }

    private sealed record CachedModel(LoadedLeadModel Model, DateTimeOffset CheckedAt);
}
