using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace IntegrationSync.SyncRunner.Publishing;

/// <summary>
/// The distinct records an execution has published. A record sent twice (a resume re-sending the pages confirmed after
/// its last checkpoint, a source that repeats a row or moves a changed row past the cursor) is published again, with its
/// latest data, but counted once, as the statistics count its mapping results once: the expected count and the counted
/// one measure the same thing. A digest's lowest bit says whether the record went to a non-CRM processor.
/// Digests not yet stored are kept in order (<see cref="Unsaved"/>) until a checkpoint stores them.
/// </summary>
public sealed class PublishedKeys
{
    private readonly DigestSet _set = new();
    private readonly Lock _unsavedGate = new();
    private readonly List<ulong> _unsaved = [];

    /// <summary>Distinct records published, forwarded ones included.</summary>
    public int Count => _set.Count;

    public int Forwarded { get; private set; }

    /// <summary>Publications of a record already published in this execution.</summary>
    public int Resent { get; private set; }

    /// <summary>Digests this run added, stored or not: a position <see cref="Unsaved"/> is read up to.</summary>
    public long Added { get; private set; }

    /// <summary>How many of <see cref="Added"/> are stored.</summary>
    public long Saved { get; private set; }

    /// <summary>Counts one publication of a record; false when it was published before in this execution.</summary>
    public bool Add(string externalId, bool forwarded)
    {
        var digest = DigestOf(externalId, forwarded);
        if (!_set.Add(digest))
        {
            Resent++;
            return false;
        }
        if (forwarded)
        {
            Forwarded++;
        }
        lock (_unsavedGate)
        {
            _unsaved.Add(digest);
            Added++;
        }
        return true;
    }

    /// <summary>Takes back a digest stored by an earlier run of the execution (a resume), before this run adds any.</summary>
    public void Restore(ulong digest)
    {
        if (_set.Add(digest) && (digest & 1) == 1)
        {
            Forwarded++;
        }
    }

    /// <summary>The digests added but not stored, up to position <paramref name="through"/> (called beside the page loop).</summary>
    public List<ulong> Unsaved(long through)
    {
        lock (_unsavedGate)
        {
            return _unsaved.GetRange(0, (int)(through - Saved));
        }
    }

    public void MarkSaved(long through)
    {
        lock (_unsavedGate)
        {
            _unsaved.RemoveRange(0, (int)(through - Saved));
            Saved = through;
        }
    }

    public static ulong DigestOf(string externalId, bool forwarded)
    {
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(externalId.AsSpan()));
        return forwarded ? hash | 1 : hash & ~1UL;
    }
}
