namespace KerasGpu;

/// <summary>
/// Keras' home folder: <c>$KERAS_HOME</c> when set, else <c>~/.keras</c>, else (no home, or home not
/// writable) <c>.keras</c> in the temporary folder (<c>/tmp/.keras</c> on Linux), as Keras'
/// <c>backend/config.py</c> and <c>utils/file_utils.py</c> resolve it. It holds <c>keras.json</c> and the
/// dataset cache (<c>datasets/</c>). Read anew on every access, so a changed environment variable applies.
/// </summary>
internal static class KerasHome
{
    /// <summary>The environment variable that overrides the home folder.</summary>
    internal const string EnvironmentVariable = "KERAS_HOME";

    /// <summary>The Keras home folder. <c>~/.keras</c> is created when it is used (Keras creates it on import); <c>$KERAS_HOME</c> is not.</summary>
    internal static string Directory
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (!string.IsNullOrEmpty(home))
            {
                string dir = Path.Combine(home, ".keras");
                if (TryPrepare(dir, out _)) return dir; // Keras' config.py also creates it on import
            }
            return TempDirectory;
        }
    }

    /// <summary>The fallback home, <c>.keras</c> in the temporary folder.</summary>
    internal static string TempDirectory => Path.Combine(Path.GetTempPath(), ".keras");

    /// <summary>
    /// The dataset cache, <c>&lt;home&gt;/datasets</c>, created if needed. Like Keras' <c>get_file</c>, falls back
    /// to the temporary folder's <c>.keras/datasets</c> when the home's cannot be created or written.
    /// </summary>
    /// <exception cref="IOException">Neither folder can be created and written.</exception>
    internal static string DatasetsDirectory()
    {
        string primary = Path.Combine(Directory, "datasets");
        if (TryPrepare(primary, out string? whyNot)) return primary;
        string fallback = Path.Combine(TempDirectory, "datasets");
        if (fallback != primary && TryPrepare(fallback, out _)) return fallback;
        throw new IOException($"Cannot create a writable dataset cache in '{primary}' ({whyNot}) or '{fallback}'.");
    }

    private static bool TryPrepare(string dir, out string? whyNot)
    {
        try
        {
            System.IO.Directory.CreateDirectory(dir);
            if (IsWritable(dir)) { whyNot = null; return true; }
            whyNot = "not writable";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            whyNot = e.Message;
        }
        return false;
    }

    private static bool IsWritable(string dir)
    {
        try
        {
            string probe = Path.Combine(dir, $".write-probe-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
