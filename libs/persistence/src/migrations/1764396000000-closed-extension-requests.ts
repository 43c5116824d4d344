import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An extension request still pending when its assignment ends (approved, reassigned, cancelled) is closed:
 * there is no deadline left to move, and a request left pending for ever would block the queue.
 */
export class ClosedExtensionRequests1764396000000 implements MigrationInterface {
  name = 'ClosedExtensionRequests1764396000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "extension_requests" DROP CONSTRAINT "extension_requests_status_check"`);
    await queryRunner.query(
      `ALTER TABLE "extension_requests" ADD CONSTRAINT "extension_requests_status_check"
         CHECK ("status" IN ('pending','approved','rejected','closed'))`,
    );
    // Requests already left pending on ended work.
    await queryRunner.query(
      `UPDATE "extension_requests" r SET "status" = 'closed', "decided_at" = now()
         FROM "assignments" a
        WHERE a."id" = r."assignment_id" AND r."status" = 'pending' AND a."status" IN ('approved','reassigned','cancelled')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "extension_requests" SET "status" = 'rejected' WHERE "status" = 'closed'`);
    await queryRunner.query(`ALTER TABLE "extension_requests" DROP CONSTRAINT "extension_requests_status_check"`);
    await queryRunner.query(
      `ALTER TABLE "extension_requests" ADD CONSTRAINT "extension_requests_status_check"
         CHECK ("status" IN ('pending','approved','rejected'))`,
    );
  }
}
