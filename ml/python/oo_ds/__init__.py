"""oO's data-science toolkit: the decision export, raw stream messages, the profile features.

    from oo_ds.export import read_export            # JSONL always; Parquet where pyarrow imports
    from oo_ds.ope import evaluate_rows             # the `npm run ope` table from an export
    from oo_ds.events import decode_event           # CloudEvent headers + protobuf payload
    from oo_ds import profile_schema                # the profile feature registry, as constants
"""
