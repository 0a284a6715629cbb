namespace KerasGpu.Backend.Cpu;

/// <summary>
/// The body of a parallel kernel loop: processes the index range <c>[start, end)</c>. Implemented by small structs so that
/// a launch captures its arguments in fields instead of a closure (no allocation per launch); a body must only read its
/// own fields, since every thread of one launch runs the same copy.
/// </summary>
internal interface IChunkBody
{
    /// <summary>Processes the indices <c>[start, end)</c>.</summary>
    void Run(int start, int end);
}
