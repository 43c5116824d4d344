import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';
import { TextField } from '../common/text-field';

/** The most assignments one 催办 reaches: every township and department of a task list, with room. */
export const MAX_URGE_BATCH = 200;

export class UrgeRequest {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    minItems: 1,
    maxItems: MAX_URGE_BATCH,
    description: 'the assignments (units’ parts of tasks) to urge: one, or a selection from the board',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_URGE_BATCH)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  assignmentIds!: string[];

  @TextField('reason', { example: '请于本周五前报送整改进展，逾期将通报。' }) text!: string;
}

export class UrgedItem {
  @ApiProperty({ format: 'uuid' }) assignmentId!: string;
  @ApiProperty({ format: 'uuid', description: 'the notification the unit receives (and that is delivered)' })
  notificationId!: string;
}

export class UrgeResponse {
  @ApiProperty({ type: [UrgedItem] }) items!: UrgedItem[];
}
