/** The demo users' password in the test database (global setup creates them with it). */
export const TEST_DEMO_PASSWORD = 'test-demo-password';
