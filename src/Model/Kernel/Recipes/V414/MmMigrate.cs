using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>mm/migrate.c: moving a page to a new frame, and faults that meet a migration entry.</summary>
internal static class MmMigrate
{
    /// <summary>
    /// mm/migrate.c: unmap_and_move() -> __unmap_and_move() (v4.14), for one isolated page: lock it,
    /// replace every mapping with a migration entry (try_to_unmap with TTU_MIGRATION: flushed at
    /// once), copy only if nothing maps it and nobody else holds it (migrate_page_move_mapping's
    /// refcount check), turn the migration entries into the new page (or back into the old one),
    /// unlock (waking faults in migration_entry_wait), and drop the old page. A page under
    /// writeback is not migrated (-EBUSY).
    /// </summary>
    internal static RecipeDraft MigratePages() =>
        new RecipeBuilder(migrate_pages, "mm/migrate.c: __unmap_and_move() (v4.14)")
            .IfNot(isolate_lru_page, "done")
            .Step(alloc_page_vma)
            .If(trylock_page, "locked")
            .Step(lock_page)
            .Label("locked")
            // kcompactd migrates MIGRATE_SYNC_LIGHT: "if (PageWriteback(page)) { ... rc = -EBUSY;
            // goto out_unlock; }" (migrate.c:1007-1025). Otherwise the old page is freed while the
            // swap device still reads it, and the slot gets whatever the frame holds by then.
            .If(PageWriteback, "busy")
            .Step(trylock_page, NewPage)
            .IfNot(page_mapped, "move")
            .Call(try_to_unmap)
            .Label("move")
            .If(page_mapped, "restore")
            .IfNot(migrate_page_move_mapping, "restore")
            .Step(migrate_page_copy)
            .Label("restore")
            .IfNot(migrate_target, "failed")
            .Call(remove_migration_ptes)
            .Step(unlock_page, NewPage)
            .Step(unlock_page)
            .Step(putback_lru_page, NewPage)
            // unmap_and_move() (migrate.c:1200-1201): "A page that has been migrated has all
            // references removed and will be freed", after __unmap_and_move put newpage back.
            .Step(put_page, Page)
            .Return()
            .Label("failed")
            .Call(remove_migration_ptes)
            .Step(unlock_page, NewPage)
            .Step(unlock_page)
            .Step(putback_lru_page)
            .Step(put_page, NewPage)
            .Return()
            // out_unlock, then unmap_and_move(): putback_lru_page(page), put_new_page(newpage).
            .Label("busy")
            .Step(unlock_page)
            .Step(putback_lru_page)
            .Step(put_page, NewPage)
            .Label("done")
            .Build();

    /// <summary>mm/migrate.c: remove_migration_ptes() (v4.14): remove_migration_pte() on every migration entry of the old page.</summary>
    internal static RecipeDraft RemoveMigrationPtes() =>
        new RecipeBuilder(remove_migration_ptes, "mm/migrate.c: remove_migration_ptes() (v4.14)")
            .ForEachMapping("vma", "done", Migration)
            .Call(remove_migration_pte)
            .NextMapping("vma", Migration)
            .Label("done")
            .Build();

    /// <summary>
    /// mm/migrate.c: remove_migration_pte() (v4.14): under the PTL, a migration entry of the old page
    /// becomes a PTE of the new one ("No need to invalidate - it was non-present before"), writable
    /// if the entry was a write migration entry.
    /// </summary>
    internal static RecipeDraft RemoveMigrationPte() =>
        new RecipeBuilder(remove_migration_pte, "mm/migrate.c: remove_migration_pte() (v4.14)")
            .Step(pte_offset_map_lock)
            .IfNot(check_pte, "unlock", Migration)
            .Step(get_page, Target)
            .Step(mk_pte, Target)
            // "pte = pte_mkold(mk_pte(new, READ_ONCE(vma->vm_page_prot)))" (migrate.c:233): the
            // restored entry is old, and writable (below) but clean.
            .Step(pte_mkold, Target)
            .IfNot(is_write_migration_entry, "set")
            .Step(maybe_mkwrite)
            .Label("set")
            .Step(set_pte_at)
            .Step(page_add_anon_rmap, Target)
            .Label("unlock")
            .Step(pte_unmap_unlock)
            .Build();

    /// <summary>
    /// mm/migrate.c: migration_entry_wait() -> __migration_entry_wait() (v4.14): under the PTL, if
    /// the PTE is still a migration entry, take a reference to its page, drop the PTL and sleep until
    /// the migration unlocks the page; then the fault is retried.
    /// </summary>
    internal static RecipeDraft MigrationEntryWait() =>
        new RecipeBuilder(migration_entry_wait, "mm/migrate.c: __migration_entry_wait() (v4.14)")
            .Step(spin_lock)
            .IfNot(is_migration_entry, "out")
            .IfNot(get_page_unless_zero, "out")
            .Step(pte_unmap_unlock)
            .Step(wait_on_page_locked)
            .Step(put_page, Page)
            .Return()
            .Label("out")
            .Step(pte_unmap_unlock)
            .Build();
}
