using System.Globalization;
using System.Text.RegularExpressions;
using KerasGpu.Backend;
using KerasGpu.Optimizers.Schedules;
using KerasGpu.Utils;
using static KerasGpu.Optimizers.UpdateMath;

namespace KerasGpu.Optimizers;

/// <summary>
/// The base of every optimizer (Keras' <c>keras.optimizers.Optimizer</c>). Slot variables (momenta, velocities) are
/// created on a variable's first update and live on the device; <see cref="Apply"/> updates weights and slots in place.
/// </summary>
/// <remarks>
/// <para>One <see cref="Apply"/> follows Keras' <c>apply</c> order: check every gradient's shape (before anything changes),
/// drop variables without a gradient, clip the gradients (<see cref="Clipnorm"/> per variable, <see cref="GlobalClipnorm"/>
/// over all, or <see cref="Clipvalue"/> elementwise), decay the weights (<c>w −= w·weight_decay·lr</c>, decoupled, before the
/// update), run each variable's update, update the moving averages (<see cref="UseEma"/>) and overwrite the weights with
/// them every <see cref="EmaOverwriteFrequency"/> steps, project constrained weights, and count the iteration. The learning
/// rate is evaluated once per step on the host, from <see cref="Iterations"/>; norms and scales for clipping stay on the
/// device, so an update never waits for the device.</para>
/// <para>Each optimizer's summary says whether its update is one fused backend kernel or composed from the general
/// kernels (<c>Binary</c>, <c>Unary</c>, <c>ScaleAdd</c>, through <c>UpdateMath</c>); the project-wide list is the
/// "Kernel or composition, in one place" paragraph of docs/ARCHITECTURE.md.</para>
/// </remarks>
public abstract class Optimizer : IDisposable
{
    private readonly Dictionary<Variable, Tensor?[]> _slots = new(ReferenceEqualityComparer.Instance);
    // Reused by every Apply, so a step whose update is one fused kernel per variable allocates nothing.
    private readonly List<(Variable Variable, Tensor Gradient)> _pairs = [];
    private Tensor[] _gradients = [];
    private readonly Dictionary<Variable, Tensor> _averages = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Variable> _excludedFromWeightDecay = new(ReferenceEqualityComparer.Instance);
    private Regex? _excludedFromWeightDecayNames;
    private float _learningRate;
    private LearningRateSchedule? _schedule;
    private Func<long, float>? _function;

    /// <summary>Creates an optimizer with Keras' common options (<c>base_optimizer.py</c>).</summary>
    /// <param name="learningRate">A float, a schedule or a function of the step; <c>default</c> takes <paramref name="defaultLearningRate"/>.</param>
    /// <param name="defaultLearningRate">The optimizer's Keras default learning rate.</param>
    /// <param name="name">Keras' name.</param>
    /// <param name="weightDecay">Decoupled weight decay: <c>w −= w·weightDecay·lr</c> before each update; null for none.</param>
    /// <param name="clipnorm">Clip each variable's gradient to this L2 norm; null (or 0) for none.</param>
    /// <param name="clipvalue">Clip each gradient element to <c>[−clipvalue, clipvalue]</c>; null (or 0) for none.</param>
    /// <param name="globalClipnorm">Clip all gradients together to this global L2 norm; null (or 0) for none.</param>
    /// <param name="useEma">Keep an exponential moving average of the weights.</param>
    /// <param name="emaMomentum">The average's momentum: <c>avg = m·avg + (1 − m)·w</c>.</param>
    /// <param name="emaOverwriteFrequency">Overwrite the weights with their averages every this many steps; null never
    /// (then <see cref="FinalizeVariableValues"/> does it, as Fit does after the last epoch).</param>
    /// <exception cref="ArgumentException">An option is out of range, or more than one clip option is set (Keras' messages).</exception>
    protected Optimizer(LearningRateSource learningRate, float defaultLearningRate, string name, float? weightDecay = null,
        float? clipnorm = null, float? clipvalue = null, float? globalClipnorm = null, bool useEma = false,
        float emaMomentum = 0.99f, int? emaOverwriteFrequency = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        CheckOptional(weightDecay, nameof(weightDecay));
        CheckOptional(clipnorm, nameof(clipnorm));
        CheckOptional(clipvalue, nameof(clipvalue));
        CheckOptional(globalClipnorm, nameof(globalClipnorm));
        int clips = (clipnorm is null ? 0 : 1) + (clipvalue is null ? 0 : 1) + (globalClipnorm is null ? 0 : 1);
        if (clips > 1)
            throw new ArgumentException("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: " +
                $"clipnorm={PyOptional(clipnorm)}, clipvalue={PyOptional(clipvalue)}, global_clipnorm={PyOptional(globalClipnorm)}");
        if (useEma)
        {
            if (!(emaMomentum >= 0 && emaMomentum <= 1))
                throw new ArgumentOutOfRangeException(nameof(emaMomentum), emaMomentum, $"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={Py(emaMomentum)}");
            if (emaOverwriteFrequency is < 1)
                throw new ArgumentOutOfRangeException(nameof(emaOverwriteFrequency), emaOverwriteFrequency,
                    $"`ema_overwrite_frequency` must be an integer >= 1 or None. Received: ema_overwrite_frequency={emaOverwriteFrequency}");
        }
        if (learningRate.Schedule is { } schedule) _schedule = schedule;
        else if (learningRate.Function is { } function) _function = function;
        else LearningRate = learningRate.Value ?? defaultLearningRate;
        Name = name;
        WeightDecay = weightDecay;
        Clipnorm = clipnorm;
        Clipvalue = clipvalue;
        GlobalClipnorm = globalClipnorm;
        UseEma = useEma;
        EmaMomentum = emaMomentum;
        EmaOverwriteFrequency = emaOverwriteFrequency;
    }

    /// <summary>Keras' name, e.g. <c>"adam"</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The learning rate used by the next update: the float, or the schedule or function evaluated at
    /// <see cref="Iterations"/>. Setting it works only for a float learning rate, as in Keras.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set on an optimizer driven by a schedule or a function.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public float LearningRate
    {
        get => _schedule is { } s ? s.Call(Iterations) : _function is { } f ? f(Iterations) : _learningRate;
        set
        {
            if (_schedule is not null)
                throw new InvalidOperationException("This optimizer was created with a `LearningRateSchedule` object as its " +
                    "`learning_rate` constructor argument, hence its learning rate is not settable. If you need the learning " +
                    "rate to be settable, you should instantiate the optimizer with a float `learning_rate` argument.");
            if (_function is not null)
                throw new InvalidOperationException("This optimizer was created with a function of the step as its " +
                    "`learning_rate` constructor argument, hence its learning rate is not settable. If you need the learning " +
                    "rate to be settable, you should instantiate the optimizer with a float `learning_rate` argument.");
            if (!float.IsFinite(value) || value < 0)
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "Expected a finite, non-negative learning rate.");
            _learningRate = value;
        }
    }

    /// <summary>
    /// Replaces the learning rate as Keras' <c>optimizer.learning_rate = ...</c> does: a schedule or a function of the step
    /// takes over from whatever was there; a float is set like <see cref="LearningRate"/> (so it is refused while a
    /// schedule or function drives the rate).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="learningRate"/> is <c>default</c>.</exception>
    /// <exception cref="InvalidOperationException">A float while a schedule or function drives the rate.</exception>
    public void SetLearningRate(LearningRateSource learningRate)
    {
        if (learningRate.IsDefault)
            throw new ArgumentException("Expected a float, a LearningRateSchedule or a function of the step; received the default value.", nameof(learningRate));
        if (learningRate.Value is float value)
        {
            LearningRate = value;
            return;
        }
        _schedule = learningRate.Schedule;
        _function = learningRate.Function;
    }

    /// <summary>The schedule driving the learning rate, if any.</summary>
    public LearningRateSchedule? LearningRateSchedule => _schedule;

    /// <summary>Whether the learning rate is a plain float (and so settable).</summary>
    public bool HasSettableLearningRate => _schedule is null && _function is null;

    /// <summary>Decoupled weight decay factor, or null.</summary>
    public float? WeightDecay { get; }

    /// <summary>Per-variable gradient norm limit, or null.</summary>
    public float? Clipnorm { get; }

    /// <summary>Elementwise gradient limit, or null.</summary>
    public float? Clipvalue { get; }

    /// <summary>Global gradient norm limit, or null.</summary>
    public float? GlobalClipnorm { get; }

    /// <summary>
    /// Whether an exponential moving average of the weights is kept (Keras' <c>use_ema</c>). After each step
    /// <c>avg = m·avg + (1 − m)·w</c> with <c>m = </c><see cref="EmaMomentum"/> (the first step copies the weights); every
    /// <see cref="EmaOverwriteFrequency"/> steps the weights are overwritten with their averages. Without a frequency the
    /// weights keep training undisturbed and Fit replaces them by their averages once, after the last epoch
    /// (<see cref="FinalizeVariableValues"/>); <see cref="SwapVariablesWithAverages"/> exchanges the two, e.g. to evaluate
    /// with averaged weights and then resume training.
    /// </summary>
    public bool UseEma { get; }

    /// <summary>Momentum of the moving average.</summary>
    public float EmaMomentum { get; }

    /// <summary>Steps between overwriting the weights with their averages, or null.</summary>
    public int? EmaOverwriteFrequency { get; }

    /// <summary>Number of updates applied so far (Keras' <c>optimizer.iterations</c>).</summary>
    public long Iterations { get; private set; }

    /// <summary>Whether slot variables exist (the optimizer has been built by a first update).</summary>
    public bool Built => _slots.Count > 0 || _averages.Count > 0;

    /// <summary>
    /// Number of optimizer scalars as Keras counts its variables: slots and moving averages, the iteration counter,
    /// the learning rate when it is a float (a schedule is not a variable), and any optimizer-wide scalars.
    /// </summary>
    public long CountParams() => Built ? SlotScalars + 1 + (HasSettableLearningRate ? 1 : 0) + ExtraScalarCount : 0;

    /// <summary>Bytes of the optimizer variables: float32 slots and scalars, plus an int64 iteration counter.</summary>
    internal long CountParamBytes() => Built ? (SlotScalars + (HasSettableLearningRate ? 1 : 0) + ExtraScalarCount) * 4 + 8 : 0;

    private long SlotScalars => _slots.Values.Sum(s => s.Sum(t => t?.Size ?? 0)) + _averages.Values.Sum(t => t.Size);

    /// <summary>How many slot tensors each variable needs (Keras' <c>build</c>); unused slots are null.</summary>
    protected abstract int SlotCount { get; }

    /// <summary>Whether slot <paramref name="index"/> is used with the current settings.</summary>
    protected virtual bool UsesSlot(int index) => true;

    /// <summary>The value slot <paramref name="index"/> starts at (Keras' initializer for it); zero unless overridden.</summary>
    protected virtual float SlotInitialValue(int index) => 0f;

    /// <summary>Optimizer-wide float32 scalars besides the learning rate (Keras variables such as Nadam's <c>u_product</c>).</summary>
    protected virtual int ExtraScalarCount => 0;

    /// <summary>Runs once per step before the per-variable updates (Keras' <c>_backend_update_step</c>).</summary>
    protected virtual void BeforeUpdates(long step) { }

    /// <summary>
    /// Updates one variable and its slots in place. <paramref name="step"/> is 1 for the first update; tensors created
    /// here belong to the step's <see cref="TensorScope"/>.
    /// </summary>
    protected abstract void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step);

    /// <summary>
    /// Excludes variables from weight decay (Keras' <c>exclude_from_weight_decay</c>): the given variables, and those whose
    /// name contains a match of any of <paramref name="varNames"/> (regular expressions, as Keras' <c>re.search</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The optimizer has already been built.</exception>
    public void ExcludeFromWeightDecay(IEnumerable<Variable>? varList = null, IEnumerable<string>? varNames = null)
    {
        if (Built)
            throw new InvalidOperationException("`exclude_from_weight_decay()` can only be configured before the optimizer is built.");
        var names = varNames?.ToList() ?? [];
        if (names.Any(n => n is null)) throw new ArgumentException("Expected variable name patterns, received a null.", nameof(varNames));
        var pattern = names.Count > 0 ? new Regex(string.Join("|", names.Distinct()), RegexOptions.CultureInvariant) : null;
        _excludedFromWeightDecay.Clear();
        foreach (var v in varList ?? []) _excludedFromWeightDecay.Add(v ?? throw new ArgumentException("Expected variables, received a null.", nameof(varList)));
        _excludedFromWeightDecayNames = pattern;
    }

    /// <summary>Applies one update to each variable that has a gradient, then counts an iteration.</summary>
    /// <exception cref="ArgumentException">The lists differ in length, a gradient's shape differs from its variable's,
    /// or no variable has a gradient. Nothing has changed when this is thrown.</exception>
    /// <exception cref="InvalidOperationException">The schedule or function gave a non-finite learning rate.</exception>
    public void Apply(IReadOnlyList<Tensor?> gradients, IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(variables);
        if (gradients.Count != variables.Count)
            throw new ArgumentException($"Received {gradients.Count} gradients for {variables.Count} variables.");
        var pairs = _pairs;
        pairs.Clear();
        for (int i = 0; i < variables.Count; i++)
        {
            if (variables[i] is null) throw new ArgumentException($"Variable {i} is null.", nameof(variables));
            if (gradients[i] is not { } g) continue;
            if (!Shapes.Equal(g.Dims, variables[i].Value.Dims))
                throw new ArgumentException($"Gradient of shape {Shapes.Format(g.Dims)} does not match variable \"{variables[i].Name}\" of shape {Shapes.Format(variables[i].Value.Dims)}.");
            pairs.Add((variables[i], g));
        }
        if (variables.Count == 0) return; // Keras: applying no gradients is a no-op
        if (pairs.Count == 0) throw new ArgumentException("No gradients provided for any variable.", nameof(gradients));
        float lr = LearningRate;
        if (!float.IsFinite(lr))
            throw new InvalidOperationException($"The learning rate {(_schedule is not null ? "schedule" : "function")} gave {Py(lr)} at step {Iterations}; expected a finite value.");

        long step = Iterations + 1;
        if (_gradients.Length != pairs.Count) _gradients = new Tensor[pairs.Count];
        for (int i = 0; i < pairs.Count; i++) _gradients[i] = pairs[i].Gradient;
        // Clipping, moving averages and composed updates make temporaries; a fused update makes none.
        bool temporaries = !UpdatesInPlace || UseEma || Clipnorm is > 0 || GlobalClipnorm is > 0 || Clipvalue is > 0;
        using (temporaries ? new TensorScope() : null)
        {
            var grads = ClipGradients(_gradients);
            ApplyWeightDecay(pairs, lr);
            BeforeUpdates(step);
            for (int i = 0; i < pairs.Count; i++) UpdateStep(pairs[i].Variable, grads[i], SlotsOf(pairs[i].Variable), lr, step);
            if (UseEma) UpdateMovingAverages(variables, step);
        }
        Array.Clear(_gradients);
        // Constraints project the updated weights, as Keras' optimizer does after apply.
        foreach (var (v, _) in pairs)
        {
            if (v.Constraint is not { } constraint) continue;
            using var scope = new TensorScope();
            var projected = constraint.Call(v.Value);
            v.Value.Backend.Copy(projected.Buffer, 0, v.Value.Buffer, 0, v.Value.Size);
        }
        pairs.Clear();
        Iterations = step;
    }

    /// <summary>True when <see cref="UpdateStep"/> is one fused kernel per variable that creates no tensor.</summary>
    protected virtual bool UpdatesInPlace => false;

    private Tensor[] ClipGradients(Tensor[] grads)
    {
        if (Clipnorm is float clipnorm && clipnorm > 0)
        {
            // Keras' clip_by_norm: g·c / max(‖g‖, c), with the norm kept on the device.
            var result = new Tensor[grads.Length];
            for (int i = 0; i < grads.Length; i++)
            {
                var norm = SumOfSquares(grads[i]);
                Unary(UnaryOp.Sqrt, norm, norm);
                Binary(BinaryOp.Maximum, norm, Constant(norm.Backend, clipnorm), norm);
                result[i] = Scratch(grads[i]);
                ScaleAdd(grads[i], clipnorm, null, 0f, result[i]);
                Binary(BinaryOp.Divide, result[i], norm, result[i]);
            }
            return result;
        }
        if (GlobalClipnorm is float global && global > 0)
        {
            // Keras' clip_by_global_norm: scale = c·min(1/‖G‖, 1/c) + (‖G‖ − ‖G‖), NaN when the norm is not finite.
            var backend = grads[0].Backend;
            var total = Constant(backend, 0f);
            foreach (var g in grads) SumOfSquares(g, total);
            Unary(UnaryOp.Sqrt, total, total);
            var scale = Scratch(total);
            Unary(UnaryOp.Reciprocal, total, scale);
            Binary(BinaryOp.Minimum, scale, Constant(backend, 1f / global), scale);
            var nanIfInfinite = Scratch(total);
            Binary(BinaryOp.Subtract, total, total, nanIfInfinite);
            ScaleAdd(scale, global, nanIfInfinite, 1f, scale);
            var result = new Tensor[grads.Length];
            for (int i = 0; i < grads.Length; i++)
            {
                result[i] = Scratch(grads[i]);
                Binary(BinaryOp.Multiply, grads[i], scale, result[i]);
            }
            return result;
        }
        if (Clipvalue is float clipvalue && clipvalue > 0)
        {
            var result = new Tensor[grads.Length];
            var low = Constant(grads[0].Backend, -clipvalue);
            var high = Constant(grads[0].Backend, clipvalue);
            for (int i = 0; i < grads.Length; i++)
            {
                result[i] = Scratch(grads[i]);
                Binary(BinaryOp.Maximum, grads[i], low, result[i]);
                Binary(BinaryOp.Minimum, result[i], high, result[i]);
            }
            return result;
        }
        return grads;
    }

    private void ApplyWeightDecay(List<(Variable Variable, Tensor Gradient)> pairs, float lr)
    {
        if (WeightDecay is not float wd) return;
        foreach (var (v, _) in pairs)
            if (UsesWeightDecay(v)) ScaleAdd(v.Value, 1f, v.Value, -(wd * lr), v.Value);
    }

    private bool UsesWeightDecay(Variable v) =>
        !_excludedFromWeightDecay.Contains(v) && !(_excludedFromWeightDecayNames?.IsMatch(v.Name) ?? false);

    private void UpdateMovingAverages(IReadOnlyList<Variable> variables, long step)
    {
        // Keras: the first step copies the weights (momentum 0), later ones blend.
        float momentum = step == 1 ? 0f : EmaMomentum;
        foreach (var v in variables)
        {
            if (!_averages.TryGetValue(v, out var average))
            {
                // A variable first seen now starts from its current value (Keras builds all of them at step 1).
                average = Tensor.Empty(v.Value.Backend, v.Shape, scoped: false);
                Copy(v.Value, average);
                _averages[v] = average;
            }
            ScaleAdd(average, momentum, v.Value, 1f - momentum, average);
        }
        if (EmaOverwriteFrequency is int frequency && step % frequency == 0)
            foreach (var v in variables) Copy(_averages[v], v.Value);
    }

    /// <summary>
    /// Replaces each variable's value by its moving average when <see cref="UseEma"/> (Keras'
    /// <c>finalize_variable_values</c>; Fit calls it after the last epoch). Variables without an average are left as they are.
    /// </summary>
    public void FinalizeVariableValues(IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (!UseEma) return;
        foreach (var v in variables)
            if (v is not null && _averages.TryGetValue(v, out var average)) Copy(average, v.Value);
    }

    /// <summary>
    /// Exchanges each variable's value with its moving average (what Keras' <c>SwapEMAWeights</c> callback does around
    /// evaluation); calling it twice restores both. Variables without an average are left as they are.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="UseEma"/> is false.</exception>
    public void SwapVariablesWithAverages(IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (!UseEma)
            throw new InvalidOperationException($"Optimizer \"{Name}\" keeps no moving averages; create it with useEma: true.");
        using var scope = new TensorScope();
        foreach (var v in variables)
        {
            if (v is null || !_averages.TryGetValue(v, out var average)) continue;
            var held = Scratch(v.Value);
            Copy(v.Value, held);
            Copy(average, v.Value);
            Copy(held, average);
        }
    }

    /// <summary>The moving average of <paramref name="variable"/>'s value, downloaded; null before its first update or without EMA.</summary>
    public NDArray? MovingAverageOf(Variable variable) =>
        _averages.TryGetValue(variable, out var average) ? average.ToNDArray() : null;

    /// <summary>The current value of slot <paramref name="index"/> of <paramref name="variable"/>, downloaded; null if it does not exist.</summary>
    public NDArray? SlotValue(Variable variable, int index) =>
        _slots.TryGetValue(variable, out var slots) && index >= 0 && index < slots.Length ? slots[index]?.ToNDArray() : null;

    private Tensor?[] SlotsOf(Variable v)
    {
        if (_slots.TryGetValue(v, out var slots)) return slots;
        slots = new Tensor?[SlotCount];
        for (int i = 0; i < slots.Length; i++)
        {
            if (!UsesSlot(i)) continue;
            slots[i] = Tensor.Empty(v.Value.Backend, v.Shape, scoped: false);
            v.Value.Backend.Fill(slots[i]!.Buffer, SlotInitialValue(i));
        }
        _slots[v] = slots;
        return slots;
    }

    /// <summary>Keras' <c>get_config()</c>: the common options by their Keras names (subclasses add their own).</summary>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name,
        ["learning_rate"] = _schedule is { } s ? s.GetConfig() : _function is not null ? null : (object)(double)_learningRate,
        ["weight_decay"] = WeightDecay,
        ["clipnorm"] = Clipnorm,
        ["global_clipnorm"] = GlobalClipnorm,
        ["clipvalue"] = Clipvalue,
        ["use_ema"] = UseEma,
        ["ema_momentum"] = EmaMomentum,
        ["ema_overwrite_frequency"] = EmaOverwriteFrequency,
        ["loss_scale_factor"] = null,
        ["gradient_accumulation_steps"] = null,
    };

    /// <summary>Frees the slot variables and moving averages.</summary>
    public void Dispose()
    {
        foreach (var t in _slots.Values.SelectMany(s => s)) t?.Dispose();
        foreach (var t in _averages.Values) t.Dispose();
        _slots.Clear();
        _averages.Clear();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Resolves a Keras optimizer name with Keras' defaults (case-insensitive, as Keras' <c>optimizers.get</c>):
    /// <c>"sgd"</c>, <c>"rmsprop"</c>, <c>"adam"</c>, <c>"adamw"</c>, <c>"adamax"</c>, <c>"nadam"</c>, <c>"adagrad"</c>,
    /// <c>"adadelta"</c>, <c>"lion"</c>, <c>"ftrl"</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Optimizer Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "sgd" => new SGD(),
            "rmsprop" => new RMSprop(),
            "adam" => new Adam(),
            "adamw" => new AdamW(),
            "adamax" => new Adamax(),
            "nadam" => new Nadam(),
            "adagrad" => new Adagrad(),
            "adadelta" => new Adadelta(),
            "lion" => new Lion(),
            "ftrl" => new Ftrl(),
            _ => throw new ArgumentException($"Could not interpret optimizer identifier: {name}. Known optimizers: {string.Join(", ", KnownNames)}.", nameof(name)),
        };
    }

    /// <summary>The names <see cref="Get"/> knows, in Keras' lower-case spelling.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = ["adadelta", "adagrad", "adam", "adamax", "adamw", "ftrl", "lion", "nadam", "rmsprop", "sgd"];

    /// <summary>Lets a Keras name stand where an optimizer is expected: <c>Compile(optimizer: "adam")</c>.</summary>
    public static implicit operator Optimizer(string name) => Get(name);

    internal static void CheckFactor(float value, string name, float low, float high)
    {
        if (!(value >= low && value <= high))
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} in [{Py(low)}, {Py(high)}]. Received: {Schedules.LearningRateSchedule.ToSnake(name)}={Py(value)}");
    }

    internal static void CheckEpsilon(float epsilon)
    {
        if (!(epsilon >= 0) || !float.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"Expected a finite, non-negative epsilon. Received: epsilon={Py(epsilon)}");
    }

    private static void CheckOptional(float? value, string name)
    {
        if (value is float v && !(float.IsFinite(v) && v >= 0))
            throw new ArgumentOutOfRangeException(name, v, $"Expected a finite, non-negative `{Schedules.LearningRateSchedule.ToSnake(name)}` or None. Received: {Schedules.LearningRateSchedule.ToSnake(name)}={Py(v)}");
    }

    /// <summary>Python's spelling of a float32 value as Keras would print the argument (shortest float32 digits).</summary>
    internal static string Py(float value) =>
        float.IsFinite(value) ? PyFormat.Repr(double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) : PyFormat.Repr(value);

    private static string PyOptional(float? value) => value is float v ? Py(v) : "None";
}
