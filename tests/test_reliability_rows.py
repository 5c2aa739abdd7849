"""Every row of `../shared/RELIABILITY.md` is named by the tests that assert it (issue #11).

`ROWS` maps each row number to the test node ids (file::function) that assert that row's
expected behaviour; together they cover the whole row unless `PARTIAL` says which part is still
open and why. The tests below keep the table honest: every row 1..40 is mapped, every node id
names a test function that exists (read from the files' syntax trees, so nothing is imported or
run), and no row is listed as partial without a reason.

Row 36 is asserted here too: the suite itself runs with networking disabled (pytest-socket, see
`addopts` in pyproject.toml), which is what lets every CLI, page, brief and export test above stand
as proof that orbat works offline.
"""

from __future__ import annotations

import ast
import re
import socket
from functools import cache
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
RELIABILITY = TESTS.parent.parent / "shared" / "RELIABILITY.md"

WEB = "tests/acquire/test_web.py"
FEEDS = "tests/acquire/test_feeds.py"
FAULTS = "tests/acquire/test_ingest_faults.py"
BAD = "tests/extract/test_bad_input.py"
FIDELITY = "tests/extract/test_text_fidelity.py"
LINEAR = "tests/extract/test_linear_time.py"
PAGE = "tests/web/test_page.py"
SAFETY = "tests/brief/test_brief_safety.py"
DISK = "tests/brief/test_brief_disk_full.py"
FORMATS = "tests/export/test_export_formats.py"
RULES = "tests/export/test_export_rules.py"
BOUNDS = "tests/store/test_value_bounds.py"
STORE = "tests/store/test_store.py"
HOSTILE = "tests/knowledge/test_hostile_records.py"
API_HOSTILE = "tests/api/test_hostile_values.py"
GAPS = "tests/api/test_reliability_gaps.py"
AUTH = "tests/api/test_auth.py"
REAL = "tests/api/test_real_server.py"
STATIC = "tests/api/test_static_and_sources.py"
MIGRATIONS = "tests/store/test_migrations.py"
PYTEST_ALEMBIC = "tests/store/test_migrations_pytest_alembic.py"

ROWS: dict[int, list[str]] = {
    1: [
        f"{FEEDS}::test_entity_feeds_rejected_before_feedparser",
        f"{FEEDS}::test_entities_found_in_utf16_and_utf32",
        f"{FEEDS}::test_entities_found_behind_a_utf7_declaration",
        "tests/acquire/test_sources.py::test_failures_are_reported_and_the_batch_goes_on",
    ],
    2: [f"{FEEDS}::test_entity_feeds_rejected_before_feedparser"],  # the quadratic-blowup case, peak memory traced
    3: [
        f"{FEEDS}::test_entity_feeds_rejected_before_feedparser",
        f"{FEEDS}::test_external_dtd_is_never_fetched",
        f"{FEEDS}::test_other_dtd_declarations_rejected",
    ],
    4: [
        f"{WEB}::test_byte_cap",
        f"{FAULTS}::test_row4_capped_and_endless_downloads_store_nothing_and_the_run_goes_on",
        f"{BAD}::test_file_over_the_cap_is_refused_not_truncated",
        "tests/acquire/test_sources.py::test_folder_with_a_file_over_the_cap_goes_on",
    ],
    5: [
        f"{WEB}::test_gzip_bomb_counts_decompressed_bytes",
        f"{WEB}::test_brotli_and_zstd_bombs",
        f"{FAULTS}::test_row4_capped_and_endless_downloads_store_nothing_and_the_run_goes_on",
    ],
    6: [
        f"{BAD}::test_archives_are_refused_unopened",
        f"{BAD}::test_row6_every_kind_of_hostile_archive_is_refused_unopened_and_the_run_goes_on",
    ],
    7: [
        f"{WEB}::test_private_addresses_refused_before_connecting",
        f"{WEB}::test_loopback_server_refused_by_default",
        f"{WEB}::test_allowed_hosts_fetch",
        f"{WEB}::test_allowlisted_host_name",
        "tests/acquire/test_urls.py::test_parse_ip_literal",
        "tests/acquire/test_urls.py::test_allowlist_by_name_and_network",
        f"{STATIC}::test_url_to_a_private_address_is_refused",
    ],
    8: [
        f"{WEB}::test_hostname_resolving_to_private_address_refused",
        f"{WEB}::test_any_private_answer_refuses_the_host",
        f"{WEB}::test_dns_rebinding_connects_to_the_checked_address",
        f"{WEB}::test_redirect_from_allowed_host_to_private_refused_at_the_hop",
        f"{WEB}::test_redirect_cap",
        f"{WEB}::test_proxy_environment_is_ignored",
    ],
    9: [
        f"{WEB}::test_only_http_and_https",
        f"{WEB}::test_redirect_to_file_scheme_refused",
        f"{STATIC}::test_only_text_or_web_addresses_are_ingested",
    ],
    10: [
        f"{WEB}::test_server_that_never_answers",
        f"{WEB}::test_trickling_server_hits_total_deadline",
        "tests/acquire/test_web_deadline.py::test_row10_headers_sent_slowly_stop_at_the_total_deadline",
        "tests/acquire/test_web_deadline.py::test_row10_deadline_shorter_than_the_connect_timeout_still_wins",
        f"{FAULTS}::test_row10_a_server_that_stalls_or_trickles_costs_its_own_source_only",
    ],
    11: [
        f"{WEB}::test_tls_certificate_error_fails_closed",
        f"{WEB}::test_tls_checks_the_host_name_although_the_socket_goes_to_the_checked_ip",
    ],
    12: [
        f"{BAD}::test_hostile_html_yields_text_without_markup",
        f"{FIDELITY}::test_row12_fallback_text_has_no_markup_from_handlers_or_scripts",
        f"{FIDELITY}::test_row12_raw_text_inside_an_iframe_never_reaches_the_text",
        "tests/store/test_raw_captures.py::test_row12_hostile_html_is_stored_raw_and_its_text_has_no_markup",
    ],
    13: [
        f"{PAGE}::test_hostile_text_is_shown_as_text_everywhere",
        f"{SAFETY}::test_html_has_no_live_markup_from_sources",
        f"{SAFETY}::test_markdown_has_no_raw_html_or_links_from_sources",
        f"{SAFETY}::test_pdf_renders_and_fetches_nothing_remote",
        f"{STATIC}::test_hostile_source_text_comes_back_as_plain_json_strings",
        f"{FORMATS}::test_kml_parses_and_hostile_text_is_inert",
    ],
    14: [
        f"{SAFETY}::test_markdown_has_no_raw_html_or_links_from_sources",
        f"{SAFETY}::test_the_hostile_documents_javascript_url_is_never_a_link",
        f"{SAFETY}::test_safe_url",
        f"{SAFETY}::test_markdown_escape",
    ],
    15: [
        f"{FEEDS}::test_atom_feed_entries_and_plain_text_stays_text",
        f"{FEEDS}::test_rss_feed_entries",
        f"{PAGE}::test_hostile_text_is_shown_as_text_everywhere",
        f"{SAFETY}::test_html_has_no_live_markup_from_sources",
    ],
    16: [
        f"{RULES}::test_csv_cells_defuse_formulas_but_not_numbers",
        f"{FORMATS}::test_csv_is_acled_shaped_excel_safe_and_complete",
        "tests/knowledge/test_csv_formulas.py::test_no_query_command_writes_a_formula",
    ],
    17: [
        f"{FORMATS}::test_geojson_keeps_hostile_text_verbatim_with_dates_for_qgis",
        f"{FORMATS}::test_kml_parses_and_hostile_text_is_inert",
        f"{FORMATS}::test_stix_bundle_reparses_strictly",
        f"{RULES}::test_kml_text_drops_only_xml_illegal_characters",
        "tests/fuzz/test_export_properties.py::test_row17_every_export_of_fuzzed_reports_reparses",
        f"{SAFETY}::test_html_has_no_live_markup_from_sources",
    ],
    18: [
        f"{BOUNDS}::test_row18_coordinates_must_be_finite_and_in_range",
        f"{BOUNDS}::test_row18_nan_and_out_of_range_coordinates_are_dropped_and_swapped_ones_flagged",
        "tests/store/test_properties.py::test_row18_row23_property_checked_records_hold_only_values_in_bounds",
        f"{FORMATS}::test_geojson_is_rfc7946",
        f"{RULES}::test_positions_are_rounded_to_seven_decimals",
        f"{RULES}::test_unwritable_positions_are_refused",
        "tests/api/test_read_routes.py::test_map_is_rfc7946",
    ],
    19: [
        f"{RULES}::test_orbat_rejects_out_of_range_confidence",
        f"{RULES}::test_stix2_alone_would_accept_101_so_the_bundle_is_checked",
        f"{RULES}::test_locations_must_say_where",
        f"{FORMATS}::test_stix_bundle_reparses_strictly",
    ],
    20: [
        f"{FIDELITY}::test_row20_a_few_bad_bytes_keep_a_utf8_file_utf8",
        f"{FIDELITY}::test_row20_a_pasted_cp1252_line_is_read_as_cp1252_and_the_rest_as_utf8",
        f"{FIDELITY}::test_row20_a_line_mixing_valid_and_invalid_bytes_gets_replacement_characters_only_there",
        f"{FIDELITY}::test_row20_a_real_cp1252_file_is_still_read_as_western",
        f"{FIDELITY}::test_row20_utf32_with_a_byte_order_mark_keeps_its_text",
        f"{BAD}::test_mis_encoded_text_is_decoded_and_the_decision_recorded",
        "tests/store/test_raw_captures.py::test_row20_mis_encoded_bytes_are_stored_raw_and_the_decoding_is_recorded",
        f"{HOSTILE}::test_row20_a_lone_surrogate_line_is_an_error_record_and_the_run_goes_on",
        f"{API_HOSTILE}::test_row20_api_post_with_a_lone_surrogate_is_a_422_not_a_500",
        "tests/fuzz/test_extract_properties.py::test_row20_fuzzed_jsonl_lines_are_records_or_one_line_errors",
    ],
    21: [
        f"{FIDELITY}::test_row21_confusable_and_invisible_characters_do_not_hide_a_system",
        f"{FIDELITY}::test_row21_folding_keeps_the_length_and_maps_greek_lookalikes",
        f"{FIDELITY}::test_row21_rtl_override_in_a_title_is_removed_at_clean",
        f"{BAD}::test_zero_width_and_bidi_controls_do_not_hide_a_designation",
        f"{DISK}::test_row21_rtl_override_never_reaches_html_or_markdown_briefs",
        f"{DISK}::test_row21_rtl_override_in_a_stored_publisher_is_gone_from_the_brief",
    ],
    22: [
        f"{BAD}::test_file_over_the_cap_is_refused_not_truncated",
        f"{BAD}::test_deeply_nested_html_gives_no_text_gracefully",
        f"{BAD}::test_stdin_and_long_line_without_sentence_breaks",
        f"{LINEAR}::test_row22_a_40000_character_word_extracts_in_seconds",
        f"{LINEAR}::test_row22_no_pattern_in_orbat_grows_faster_than_the_text",
        f"{LINEAR}::test_row22_long_text_is_read_in_pieces_with_offsets_into_the_whole",
        f"{LINEAR}::test_row22_document_over_its_time_budget_fails_with_one_clear_line",
        f"{FIDELITY}::test_row22_visible_text_drops_hidden_elements_and_survives_deep_nesting",
        "tests/fuzz/test_extract_properties.py::test_row22_fuzzed_html_extracts_within_bounds",
    ],
    23: [
        "tests/extract/test_date_bounds.py::test_row23_impossible_dates_in_text_are_no_dates",
        "tests/extract/test_date_bounds.py::test_row23_relative_dates_never_anchor_on_an_invalid_publication_date",
        "tests/extract/test_date_bounds.py::test_row23_numeric_dates_whose_day_and_month_could_swap_are_flagged",
        "tests/extract/test_date_bounds.py::test_row23_numeric_dates_only_one_reading_allows_carry_no_flag",
        "tests/extract/test_date_bounds.py::test_row23_impossible_numeric_dates_are_no_dates_in_either_order",
        "tests/extract/test_dates.py::test_relative_dates_resolve_against_publication_not_today",
        "tests/extract/test_dates.py::test_month_and_year_stay_month_precision",
        "tests/extract/test_date_rules.py::test_relative_words_need_a_publication_date",
        "tests/extract/test_date_rules.py::test_only_real_calendar_days",
        f"{BOUNDS}::test_row23_dates_are_bounded_to_1900_and_a_year_ahead",
        f"{HOSTILE}::test_row23_corpus_row_dated_9999_keeps_its_claim_and_every_query_answers",
        f"{API_HOSTILE}::test_row23_api_post_dated_9999_is_refused_and_every_read_still_answers",
        "tests/fuzz/test_extract_properties.py::test_row23_issue_reproducers_stay_within_bounds",
    ],
    24: [
        "tests/extract/test_geoparse.py::test_a_name_nothing_decides_stays_unlocated_with_its_candidates",
        "tests/extract/test_phenomena.py::test_ambiguous_city_is_not_silently_geocoded",
        f"{FORMATS}::test_csv_unlocated_positions_stay_empty",
    ],
    25: [
        "tests/acquire/test_urls.py::test_tracking_variants_are_one_source",
        "tests/acquire/test_urls.py::test_canonical_url",
        f"{STORE}::test_resave_is_idempotent_and_refetch_adds_a_sighting",
        f"{STORE}::test_tracking_parameter_urls_are_one_document",
        f"{STORE}::test_row25_new_content_at_a_known_url_is_a_new_version_of_the_document",
    ],
    26: [
        f"{FEEDS}::test_item_cap",
        f"{FEEDS}::test_item_cap_on_atom_keeps_the_feed_title",
        f"{FEEDS}::test_duplicate_guids_duplicate_content_and_missing_dates",
        f"{BAD}::test_undated_documents_are_kept_and_flagged",
        f"{HOSTILE}::test_row23_row26_impossible_dates_never_become_real_ones_and_undated_rows_are_flagged",
    ],
    27: [
        "tests/api/test_reviews.py::test_concurrent_reviews_are_both_kept_and_shown_as_a_conflict",
        f"{PAGE}::test_review_as_analyst_is_recorded_and_viewer_is_refused",
        f"{API_HOSTILE}::test_row27_out_of_bounds_corrections_are_422_and_never_stored",
        f"{API_HOSTILE}::test_row27_a_correction_inside_the_bounds_is_stored_and_merged",
        "tests/store/test_properties.py::test_row27_property_fuzzed_reviews_are_201_or_422_and_stored_ones_are_in_bounds",
        f"{BOUNDS}::test_row27_a_correction_cannot_clear_a_claims_event_or_certainty",
    ],
    28: [
        f"{STORE}::test_row28_append_only_tables_refuse_update_and_delete",
        f"{BOUNDS}::test_row28_insert_or_replace_cannot_rewrite_a_stored_row",
        f"{BOUNDS}::test_row28_sqlite_upsert_and_replace_by_unique_url_are_refused",
        f"{BOUNDS}::test_row28_ingest_errors_are_kept_and_cannot_be_rewritten",
        "tests/api/test_reviews.py::test_direct_update_or_delete_of_reviews_is_refused",
    ],
    29: [
        "tests/store/test_crash.py::test_sigkill_mid_ingest_then_rerun_loses_and_doubles_nothing",
        f"{STORE}::test_failure_mid_save_rolls_back_the_whole_document",
        f"{STORE}::test_claim_ids_are_deterministic_across_databases",
        f"{DISK}::test_row29_full_disk_during_ingest_is_one_line_and_loses_nothing_stored",
        f"{DISK}::test_row29_full_disk_brief_leaves_the_old_file_and_no_temp",
        f"{DISK}::test_row29_full_disk_export_leaves_no_file",
        f"{HOSTILE}::test_row29_a_crash_in_one_document_is_its_error_and_nothing_else_is_lost",
        f"{API_HOSTILE}::test_row29_api_post_that_fails_is_a_422_and_an_ingest_errors_row",
    ],
    30: [
        f"{PYTEST_ALEMBIC}::test_single_head_revision",
        f"{PYTEST_ALEMBIC}::test_upgrade_a_populated_database_to_head",
        f"{PYTEST_ALEMBIC}::test_model_definitions_match_ddl",
        f"{PYTEST_ALEMBIC}::test_up_down_consistency_with_rows_in_every_table",
        f"{PYTEST_ALEMBIC}::test_downgrade_of_a_populated_database_drops_only_what_the_steps_added",
        f"{PYTEST_ALEMBIC}::test_orbat_backs_up_a_populated_database_before_upgrading_it",
        f"{MIGRATIONS}::test_migrated_schema_matches_the_code",
        f"{MIGRATIONS}::test_downgrade_and_upgrade_a_populated_database",
        f"{MIGRATIONS}::test_every_step_goes_down_and_up_again",
        f"{MIGRATIONS}::test_sqlite_backup_is_a_consistent_copy",
        f"{MIGRATIONS}::test_row30_upgrading_a_populated_sqlite_database_backs_it_up_first",
        f"{MIGRATIONS}::test_row30_upgrading_a_populated_postgresql_database_dumps_it_first",
        f"{MIGRATIONS}::test_row30_a_postgresql_migration_that_cannot_back_up_does_not_run",
        f"{BOUNDS}::test_row30_upgrading_a_database_with_out_of_range_rows_makes_it_queryable",
    ],
    31: [
        f"{STORE}::test_reprocessing_adds_a_run_and_keeps_old_claims",
        "tests/knowledge/test_cli_ingest.py::test_reprocess_adds_runs_and_counts_each_document_once",
        "tests/knowledge/test_cli_ingest.py::test_row31_reprocess_reports_the_claims_each_document_gained_and_lost",
    ],
    32: [
        f"{AUTH}::test_write_needs_an_analyst_token",
        f"{AUTH}::test_expired_token_is_refused_like_an_unknown_one",
        f"{AUTH}::test_token_in_query_string_is_refused_and_never_logged",
        f"{AUTH}::test_token_create_shows_the_token_once_and_stores_its_hash",
        f"{GAPS}::test_row32_a_presented_token_is_compared_with_every_stored_hash_in_constant_time",
    ],
    33: [
        f"{AUTH}::test_serve_refuses_all_interfaces_without_a_token",
        f"{AUTH}::test_serve_starts_uvicorn_with_the_right_rules",
    ],
    34: [
        f"{AUTH}::test_cross_site_form_post_with_a_cookie_is_refused",
        f"{REAL}::test_row34_cross_site_read_without_token_is_refused",
        f"{REAL}::test_dns_rebinding_host_is_answered_421",
    ],
    35: [
        f"{STATIC}::test_path_traversal_is_404",
        f"{REAL}::test_traversal_over_real_http_is_404",
        f"{GAPS}::test_row35_dot_dot_in_an_api_id_is_404_and_reads_no_file",
    ],
    36: [
        "tests/test_reliability_rows.py::test_row36_the_suite_cannot_reach_the_network",
        f"{PAGE}::test_every_request_stays_on_the_server",
        "tests/brief/test_brief_cli.py::test_pdf_and_html_files_and_stdout",
        "tests/export/test_export_cli.py::test_every_format_on_both_backends",
        "tests/knowledge/test_cli.py::test_posture",
    ],
    37: [
        f"{PAGE}::test_every_request_stays_on_the_server",
        "tests/api/test_read_routes.py::test_security_headers_on_every_response",
        "tests/api/test_read_routes.py::test_docs_are_local_and_list_every_route",
    ],
    38: [
        f"{SAFETY}::test_pdf_renders_and_fetches_nothing_remote",
        f"{SAFETY}::test_fetcher_refuses_remote_and_file_urls_and_the_pdf_still_renders",
    ],
    39: [
        f"{GAPS}::test_row39_a_valid_range_is_206_with_exactly_those_bytes",
        f"{GAPS}::test_row39_an_unsatisfiable_range_is_416",
        f"{GAPS}::test_row39_without_a_range_the_whole_file_comes_back",
        f"{PAGE}::test_every_request_stays_on_the_server",
    ],
    40: [f"{PAGE}::test_invalid_sidc_falls_back_to_a_generic_symbol"],
}

# Rows whose tests pass but leave part of the row's wording unasserted, with what is missing.
PARTIAL: dict[int, str] = {}


def _rows_in_the_document() -> set[int]:
    table = RELIABILITY.read_text(encoding="utf-8")
    return {int(n) for n in re.findall(r"^\| (\d+) \|", table, flags=re.MULTILINE)}


@cache
def _tests_in(path: str) -> frozenset[str]:
    """`function` and `Class::method` names of the test functions defined in one file."""
    tree = ast.parse((TESTS.parent / path).read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names |= {
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test")
            }
    return frozenset(names)


def test_every_row_of_the_reliability_table_is_mapped():
    assert _rows_in_the_document() == set(range(1, 41))
    assert set(ROWS) == set(range(1, 41))
    assert all(ROWS[row] for row in ROWS)


@pytest.mark.parametrize("row", sorted(ROWS))
def test_each_rows_tests_exist(row):
    missing = []
    for node_id in ROWS[row]:
        path, _, name = node_id.partition("::")
        if not (TESTS.parent / path).is_file() or name not in _tests_in(path):
            missing.append(node_id)
    assert missing == [], f"row {row} names tests that do not exist"


def test_partial_rows_say_what_is_missing():
    assert set(PARTIAL) <= set(ROWS)
    assert all(len(reason.split()) >= 5 for reason in PARTIAL.values())


def test_row36_the_suite_cannot_reach_the_network():
    """pytest-socket refuses any connection off loopback, so a test that needed the network would fail."""
    from pytest_socket import SocketConnectBlockedError

    for address in (("192.0.2.1", 80), ("8.8.8.8", 53), ("2001:db8::1", 443)):
        with pytest.raises(SocketConnectBlockedError):
            socket.create_connection(address, timeout=1)
