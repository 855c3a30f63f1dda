using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace ServerlessMobility.Showroom.LeadScoring;

/// <summary>How well a trained model ranks and classifies the held-out leads it never saw.</summary>
/// <param name="Auc">Area under the ROC curve: the chance a won lead scores above a lost one (0.5 is a coin).</param>
/// <param name="Accuracy">Share classified right at probability 0.5.</param>
public sealed record LeadModelMetrics(int TrainingRows, int TestRows, double Auc, double Accuracy, double PositiveRate);

public sealed record TrainedLeadModel(byte[] Zip, LeadModelMetrics Metrics);

/// <summary>
/// Trains the lead-score model: a FastTree (gradient-boosted trees) binary classifier with Platt calibration, on rows from
/// <see cref="SyntheticLeadGenerator"/>, 80 % for training and 20 % held out for the metrics. One thread and a fixed seed:
/// the same rows always give the same trees.
/// </summary>
public static class LeadScoreTrainer
{
    public const double TestFraction = 0.2;

    public static TrainedLeadModel Train(IReadOnlyList<SyntheticLead> leads, int seed = SyntheticLeadGenerator.DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(leads);
        var ml = new MLContext(seed);
        var rows = leads.Select(l => new LeadFeatureRow { Features = l.Features, Label = l.Won }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var split = ml.Data.TrainTestSplit(data, TestFraction, seed: seed);
        var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            FeatureColumnName = nameof(LeadFeatureRow.Features),
            LabelColumnName = nameof(LeadFeatureRow.Label),
            NumberOfTrees = 60,
            NumberOfLeaves = 8,
            MinimumExampleCountPerLeaf = 30,
            LearningRate = 0.1,
            NumberOfThreads = 1,
            Seed = seed,
        });
        var model = trainer.Fit(split.TrainSet);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet), nameof(LeadFeatureRow.Label));
        var testRows = split.TestSet.GetColumn<bool>(nameof(LeadFeatureRow.Label)).ToList();
        using var zip = new MemoryStream();
        ml.Model.Save(model, data.Schema, zip);
        return new TrainedLeadModel(zip.ToArray(), new LeadModelMetrics(rows.Count - testRows.Count, testRows.Count,
            Math.Round(metrics.AreaUnderRocCurve, 4), Math.Round(metrics.Accuracy, 4), Math.Round(testRows.Count(w => w) / (double)Math.Max(1, testRows.Count), 4)));
    }
}

/// <summary>A stored model loaded for scoring, with its per-lead explanation attached; one lead at a time (the engine is not thread-safe).</summary>
public sealed class LoadedLeadModel
{
    private readonly Lock _gate = new();
    private readonly PredictionEngine<LeadFeatureRow, LeadScoreRow> _engine;

    public LoadedLeadModel(int version, byte[] zip)
    {
        ArgumentNullException.ThrowIfNull(zip);
        Version = version;
        var ml = new MLContext(SyntheticLeadGenerator.DefaultSeed);
        using var stream = new MemoryStream(zip, writable: false);
        var loaded = ml.Model.Load(stream, out var schema);
        var predictor = (loaded is TransformerChain<ITransformer> chain ? chain.LastTransformer : loaded)
            as ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>>
            ?? throw new InvalidDataException($"Lead-score model v{version} is not a calibrated FastTree binary classifier.");

        // Contributions in the trees' own units (log-odds before calibration), not rescaled: they add up to the raw score, so
        // a salesperson can compare them across leads. All of them, positive and negative.
        var contributions = ml.Transforms.CalculateFeatureContribution(predictor, LeadFeatures.Count, LeadFeatures.Count, normalize: false)
            .Fit(ml.Data.LoadFromEnumerable(Array.Empty<LeadFeatureRow>(), schema));
        _engine = ml.Model.CreatePredictionEngine<LeadFeatureRow, LeadScoreRow>(loaded.Append(contributions), inputSchema: schema);
    }

    public int Version { get; }

    public LeadScoreRow Score(float[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        lock (_gate)
        {
            var row = _engine.Predict(new LeadFeatureRow { Features = features });
            return new LeadScoreRow { Probability = row.Probability, Score = row.Score, FeatureContributions = [.. row.FeatureContributions] };
        }
    }
}
