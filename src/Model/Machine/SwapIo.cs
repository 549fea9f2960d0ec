namespace Fuzz.Model.Machine;

/// <summary>
/// A swap bio the swap device has not finished: the page and the slot it was built for
/// (get_swap_bio maps the page's swap entry to a sector when the bio is built), its direction, and
/// the frame's generation at submission, so that a transfer into or out of a frame that was freed
/// meanwhile is seen as the use-after-free it is.
/// </summary>
public struct SwapIo
{
    public short Pfn;
    public short Slot;
    /// <summary>REQ_OP_WRITE (swap_writepage) or REQ_OP_READ (swap_readpage).</summary>
    public bool Write;
    public int Generation;
}
