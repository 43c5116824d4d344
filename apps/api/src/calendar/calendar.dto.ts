import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { OverrideKind } from '@county/domain';
import { TextField } from '../common/text-field';
import { IntegerQuery } from '../common/query-params';

export class CalendarOverrideDto {
  @ApiProperty({ example: '2021-05-13', maxLength: 10 })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date!: string;

  @ApiProperty({ enum: OverrideKind })
  @IsIn(Object.values(OverrideKind))
  kind!: OverrideKind;

  @TextField('holidayName', { example: '宁夏开斋节' }) reason!: string;
}

export class ReplaceCalendarOverridesRequest {
  @ApiProperty({ type: [CalendarOverrideDto] })
  @IsArray()
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => CalendarOverrideDto)
  overrides!: CalendarOverrideDto[];
}

export class CalendarOverridesResponse {
  @ApiProperty({ type: [CalendarOverrideDto] }) overrides!: CalendarOverrideDto[];
  @ApiProperty({ example: 'chinese-days@1.5.7+overrides:4:1a2b3c4d' }) calendarVersion!: string;
}

export class WorkdaysQuery {
  @ApiProperty({
    description: 'ISO instant, or a date (taken as 00:00 Beijing time)',
    example: '2021-04-30T09:30:00+08:00',
    maxLength: 40,
  })
  @MaxLength(40)
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/, {
    message: 'from must be YYYY-MM-DD or an ISO instant with a time zone, e.g. 2021-04-30T09:30:00+08:00',
  })
  from!: string;

  @IntegerQuery({ description: 'working days to add', example: 1, minimum: 0, maximum: 2500, required: true })
  n!: number;
}

export class WorkdaysResponse {
  @ApiProperty() from!: string;
  @ApiProperty() n!: number;
  @ApiProperty({ description: 'the instant n working days later, same Beijing time of day' }) at!: string;
  @ApiProperty({ description: 'its Beijing calendar date' }) date!: string;
  @ApiProperty() calendarVersion!: string;
}

export class CompleteYearRequest {
  @TextField('notice', { example: '国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）' })
  notice!: string;
}

export class CompletedYearResponse {
  @ApiProperty({ example: 2027 }) year!: number;
  @ApiProperty({ description: 'the holiday notice the year was loaded from' }) notice!: string;
  @ApiProperty({ format: 'date-time' }) completedAt!: string;
}
