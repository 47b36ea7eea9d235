<?php
/*
 * One WordPress tree serves every shop of a test session, each shop with a database of its
 * own. The web server names the shop's database and the session's MariaDB in FastCGI
 * parameters; command-line scripts (the installer, the queue runner) get them from the
 * environment, with the shop's URL.
 */

function tillflow_shop_setting( string $name ): string {
	$value = $_SERVER[ $name ] ?? getenv( $name );
	if ( ! is_string( $value ) || '' === $value ) {
		header( 'HTTP/1.1 500 Internal Server Error' );
		exit( "the shop's $name is not set\n" );
	}
	return $value;
}

define( 'DB_NAME', tillflow_shop_setting( 'TILLFLOW_WOO_DB' ) );
define( 'DB_HOST', tillflow_shop_setting( 'TILLFLOW_WOO_DB_HOST' ) );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
$table_prefix = 'wp_';

// Fixed salts: the shops are throwaway copies of one dump and no cookie outlives a test.
define( 'AUTH_KEY', 'tillflow-test-shop-auth' );
define( 'SECURE_AUTH_KEY', 'tillflow-test-shop-secure-auth' );
define( 'LOGGED_IN_KEY', 'tillflow-test-shop-logged-in' );
define( 'NONCE_KEY', 'tillflow-test-shop-nonce' );
define( 'AUTH_SALT', 'tillflow-test-shop-auth-salt' );
define( 'SECURE_AUTH_SALT', 'tillflow-test-shop-secure-auth-salt' );
define( 'LOGGED_IN_SALT', 'tillflow-test-shop-logged-in-salt' );
define( 'NONCE_SALT', 'tillflow-test-shop-nonce-salt' );

/*
 * WordPress builds every link, REST URL and webhook source from its site URL, and each shop
 * answers on ports of its own: the URL follows the request's scheme and Host header (with
 * its port), so the shop's https and plain-http ports both stay themselves.
 */
if ( PHP_SAPI === 'cli' ) {
	$tillflow_url = tillflow_shop_setting( 'TILLFLOW_WOO_URL' );
	$_SERVER['HTTP_HOST'] = (string) parse_url( $tillflow_url, PHP_URL_HOST )
		. ( parse_url( $tillflow_url, PHP_URL_PORT ) ? ':' . parse_url( $tillflow_url, PHP_URL_PORT ) : '' );
	if ( str_starts_with( $tillflow_url, 'https:' ) ) {
		$_SERVER['HTTPS'] = 'on';
	}
} else {
	$tillflow_https = ! empty( $_SERVER['HTTPS'] ) && 'off' !== $_SERVER['HTTPS'];
	$tillflow_url   = ( $tillflow_https ? 'https://' : 'http://' ) . $_SERVER['HTTP_HOST'];
}
define( 'WP_HOME', $tillflow_url );
define( 'WP_SITEURL', $tillflow_url );

// The tree is a cache shared by test sessions: logs go to the session's own folder, and
// nothing installs, updates or edits code in it.
define( 'WC_LOG_DIR', tillflow_shop_setting( 'TILLFLOW_WOO_RUN' ) . '/wc-logs/' );
define( 'DISALLOW_FILE_MODS', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
// Only loopback is reachable here: requests to other hosts fail at once instead of
// waiting for a time-out (update checks, marketplace feeds).
define( 'WP_HTTP_BLOCK_EXTERNAL', true );

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
