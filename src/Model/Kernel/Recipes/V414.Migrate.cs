namespace Fuzz.Model.Kernel.Recipes;

internal static partial class V414
{
    /// <summary>
    /// mm/migrate.c: unmap_and_move() -> __unmap_and_move() (v4.14), for one isolated page: lock it,
    /// replace every mapping with a migration entry (try_to_unmap with TTU_MIGRATION: flushed at
    /// once), copy only if nothing maps it and nobody else holds it (migrate_page_move_mapping's
    /// refcount check), turn the migration entries into the new page (or back into the old one),
    /// unlock (waking faults in migration_entry_wait), and drop the old page.
    /// </summary>
    private static RecipeDraft MigratePages() =>
        new RecipeBuilder(RecipeId.migrate_pages, "mm/migrate.c: __unmap_and_move() (v4.14)")
            .IfNot(StepId.isolate_lru_page, "done")
            .Step(StepId.alloc_page_vma)
            .If(StepId.trylock_page, "locked")
            .Step(StepId.lock_page)
            .Label("locked")
            .Step(StepId.trylock_page, Operand.NewPage)
            .IfNot(StepId.page_mapped, "move")
            .Call(RecipeId.try_to_unmap)
            .Label("move")
            .If(StepId.page_mapped, "restore")
            .IfNot(StepId.migrate_page_move_mapping, "restore")
            .Step(StepId.migrate_page_copy)
            .Label("restore")
            .IfNot(StepId.migrate_target, "failed")
            .Call(RecipeId.remove_migration_ptes)
            .Step(StepId.unlock_page, Operand.NewPage)
            .Step(StepId.unlock_page)
            // unmap_and_move(): "A page that has been migrated has all references removed and will be freed".
            .Step(StepId.put_page, Operand.Page)
            .Step(StepId.putback_lru_page, Operand.NewPage)
            .Return()
            .Label("failed")
            .Call(RecipeId.remove_migration_ptes)
            .Step(StepId.unlock_page, Operand.NewPage)
            .Step(StepId.unlock_page)
            .Step(StepId.putback_lru_page)
            .Step(StepId.put_page, Operand.NewPage)
            .Label("done")
            .Build();

    /// <summary>mm/migrate.c: remove_migration_ptes() (v4.14): remove_migration_pte() on every migration entry of the old page.</summary>
    private static RecipeDraft RemoveMigrationPtes() =>
        new RecipeBuilder(RecipeId.remove_migration_ptes, "mm/migrate.c: remove_migration_ptes() (v4.14)")
            .ForEachMapping("vma", "done", Operand.Migration)
            .Call(RecipeId.remove_migration_pte)
            .NextMapping("vma", Operand.Migration)
            .Label("done")
            .Build();

    /// <summary>
    /// mm/migrate.c: remove_migration_pte() (v4.14): under the PTL, a migration entry of the old page
    /// becomes a PTE of the new one ("No need to invalidate - it was non-present before"), writable
    /// if the entry was a write migration entry.
    /// </summary>
    private static RecipeDraft RemoveMigrationPte() =>
        new RecipeBuilder(RecipeId.remove_migration_pte, "mm/migrate.c: remove_migration_pte() (v4.14)")
            .Step(StepId.pte_offset_map_lock)
            .IfNot(StepId.check_pte, "unlock", Operand.Migration)
            .Step(StepId.get_page, Operand.Target)
            .Step(StepId.mk_pte, Operand.Target)
            .IfNot(StepId.is_write_migration_entry, "set")
            .Step(StepId.maybe_mkwrite)
            .Label("set")
            .Step(StepId.set_pte_at)
            .Step(StepId.page_add_anon_rmap, Operand.Target)
            .Label("unlock")
            .Step(StepId.pte_unmap_unlock)
            .Build();
}
