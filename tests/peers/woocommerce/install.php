<?php
/*
 * Installs WordPress and WooCommerce into an empty database, as a merchant's first visits
 * would, without WP-CLI. Each step runs in a process of its own, because WordPress must
 * load afresh to see what the step before it installed:
 *
 *   php install.php core                 WordPress itself (wp_install), pretty permalinks
 *   php install.php plugin               WooCommerce activated (its installer runs)
 *   php install.php store KEYS.json      the new-store defaults (HPOS on), the store's
 *                                        address, currency and tax, a REST key; the key's
 *                                        credentials are written to KEYS.json
 *
 * The environment names the database and URL (see wp-config.php); WORDPRESS is the tree.
 */

$tillflow_step = $argv[1] ?? '';
if ( 'core' === $tillflow_step ) {
	define( 'WP_INSTALLING', true );
}
require getenv( 'WORDPRESS' ) . '/wp-load.php';

function tillflow_fail( string $message ): never {
	fwrite( STDERR, "install.php: $message\n" );
	exit( 1 );
}

function tillflow_install_core(): void {
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	if ( is_blog_installed() ) {
		tillflow_fail( 'the database already holds a WordPress' );
	}
	wp_install( 'tillflow test shop', 'admin', 'admin@example.com', false, '', wp_generate_password( 24 ) );
	// /wp-json/wc/v3/... needs pretty permalinks; without them only ?rest_route= answers.
	update_option( 'permalink_structure', '/%postname%/' );
	// A zone away from UTC, so that local and GMT dates differ as they do in most shops.
	update_option( 'timezone_string', 'America/Los_Angeles' );
}

function tillflow_activate_woocommerce(): void {
	require_once ABSPATH . 'wp-admin/includes/plugin.php';
	wp_set_current_user( 1 );
	$result = activate_plugin( 'woocommerce/woocommerce.php' );
	if ( is_wp_error( $result ) ) {
		tillflow_fail( 'activating WooCommerce: ' . $result->get_error_message() );
	}
}

function tillflow_set_up_store( string $keys_file ): void {
	wp_set_current_user( 1 );
	// What the first wp-admin visit runs for a new shop: HPOS becomes the order storage.
	WC_Install::newly_installed();
	if ( 'yes' !== get_option( 'woocommerce_custom_orders_table_enabled' ) ) {
		tillflow_fail( 'HPOS (custom order tables) did not turn on' );
	}
	$settings = array(
		'woocommerce_store_address'      => '1 Loopback Road',
		'woocommerce_store_city'         => 'San Jose',
		'woocommerce_default_country'    => 'US:CA',
		'woocommerce_store_postcode'     => '95112',
		'woocommerce_currency'           => 'USD',
		'woocommerce_manage_stock'       => 'yes',
		'woocommerce_calc_taxes'         => 'yes',
		'woocommerce_prices_include_tax' => 'no',
		'woocommerce_tax_based_on'       => 'billing',
		'woocommerce_coming_soon'        => 'no',
		'woocommerce_allow_tracking'     => 'no',
		'woocommerce_onboarding_profile' => array( 'skipped' => true ),
	);
	foreach ( $settings as $name => $value ) {
		update_option( $name, $value );
	}
	WC_Tax::_insert_tax_rate(
		array(
			'tax_rate_country'  => 'US',
			'tax_rate_state'    => '',
			'tax_rate'          => '8.0000',
			'tax_rate_name'     => 'Sales tax',
			'tax_rate_priority' => 1,
			'tax_rate_compound' => 0,
			'tax_rate_shipping' => 1,
			'tax_rate_order'    => 0,
			'tax_rate_class'    => '',
		)
	);
	tillflow_create_rest_key( $keys_file );
	tillflow_drain_queue();
}

// A read_write key for the admin, made as WooCommerce's own key screen makes one.
function tillflow_create_rest_key( string $keys_file ): void {
	global $wpdb;
	$key    = 'ck_' . wc_rand_hash();
	$secret = 'cs_' . wc_rand_hash();
	$wpdb->insert(
		$wpdb->prefix . 'woocommerce_api_keys',
		array(
			'user_id'         => 1,
			'description'     => 'tillflow tests',
			'permissions'     => 'read_write',
			'consumer_key'    => wc_api_hash( $key ),
			'consumer_secret' => $secret,
			'truncated_key'   => substr( $key, -7 ),
		)
	);
	$credentials = array(
		'consumer_key'    => $key,
		'consumer_secret' => $secret,
	);
	if ( false === file_put_contents( $keys_file, wp_json_encode( $credentials ) ) ) {
		tillflow_fail( "cannot write $keys_file" );
	}
}

// The installer queues its own jobs; running them now keeps them out of every test shop.
function tillflow_drain_queue(): void {
	for ( $pass = 0; $pass < 10; $pass++ ) {
		if ( 0 === ( new ActionScheduler_QueueRunner() )->run( 'tillflow install' ) ) {
			return;
		}
	}
}

match ( $tillflow_step ) {
	'core' => tillflow_install_core(),
	'plugin' => tillflow_activate_woocommerce(),
	'store' => tillflow_set_up_store( $argv[2] ?? tillflow_fail( 'usage: install.php store KEYS.json' ) ),
	default => tillflow_fail( 'usage: install.php core|plugin|store KEYS.json' ),
};
