namespace IntegrationSync.SyncRunner.Publishing;

/// <summary>
/// A set of 64-bit digests in one flat array (open addressing, linear probing, at most three quarters full): 8 to 16
/// bytes a key, where a <c>HashSet&lt;ulong&gt;</c> takes about 24. Zero marks a free slot, so a digest of zero is stored as one.
/// </summary>
public sealed class DigestSet
{
    private ulong[] _slots = new ulong[256];

    public int Count { get; private set; }

    /// <summary>False when the digest was there already.</summary>
    public bool Add(ulong digest)
    {
        if ((Count + 1) * 4 > _slots.Length * 3)
        {
            Grow();
        }
        if (!Insert(_slots, digest == 0 ? 1 : digest))
        {
            return false;
        }
        Count++;
        return true;
    }

    private static bool Insert(ulong[] slots, ulong digest)
    {
        var mask = slots.Length - 1;
        for (var i = (int)(digest >> 32) & mask; ; i = (i + 1) & mask)
        {
            if (slots[i] == 0)
            {
                slots[i] = digest;
                return true;
            }
            if (slots[i] == digest)
            {
                return false;
            }
        }
    }

    private void Grow()
    {
        var larger = new ulong[_slots.Length * 2];
        foreach (var digest in _slots)
        {
            if (digest != 0)
            {
                Insert(larger, digest);
            }
        }
        _slots = larger;
    }
}
